//! What the built-in packs always load to, worked out ahead of time: every
//! start-up read each pattern's requirements from its syntax tree (21M
//! instructions) and built every form of every lexicon (15M), about a
//! third of a one-file run, for the same packs each time; and every
//! pattern a run compiles was translated from its syntax tree again (15M
//! of a one-file run's 50M, see [`super::hir_code`]).
//!
//! All are pure functions of their input, and the cache keeps the input
//! beside the output: a pattern's expanded source, the lexicons' words. A
//! pattern or lexicon that differs from the cached one (a user pack, a
//! built-in edited since) is worked out as before. So the cache can only
//! be stale, never wrong; `builtin_cache_is_fresh` fails when it is stale
//! and says how to regenerate it.

use std::collections::{BTreeMap, HashMap};

use std::sync::LazyLock;

use regex_syntax::hir::Hir;

use super::alphabet::Alphabet;
use super::hir_code;
use super::lexicon::{Forms, Inflect};
use super::prefilter::Atom;

/// Every built-in pattern's expanded source and its requirements.
const REQUIREMENTS: &str = include_str!("cache/requirements.json");
/// The built-in lexicons and their forms: a line of the lists as JSON, then
/// a line per form: the form, a tab, and the lists holding it (their
/// indices, each followed by `*` where the form is a wildcard there),
/// separated by spaces. A text the loader splits, not JSON: parsing 5,357
/// forms as JSON cost 11M instructions, most of what caching saves.
const LEXICONS: &str = include_str!("cache/lexicons.txt");

/// Every built-in pattern's translation (see [`super::hir_code`]): the
/// class table, a line `%%`, then a line per pattern: its written form, a
/// tab, and its expanded source.
const TRANSLATIONS: &str = include_str!("cache/hir.txt");

/// The lexicons as packs define them, by name.
pub(crate) type Lists = BTreeMap<String, (Vec<String>, Inflect)>;

static CACHED_REQUIREMENTS: LazyLock<HashMap<String, Vec<Vec<Atom>>>> =
    LazyLock::new(|| serde_json::from_str(REQUIREMENTS).unwrap_or_default());

/// The requirements of a pattern with this expanded source, if cached.
pub(crate) fn requirements(source: &str) -> Option<Vec<Vec<Atom>>> {
    CACHED_REQUIREMENTS.get(source).cloned()
}

/// The translations' classes and each pattern's written form by source.
type Translations = (Vec<Hir>, HashMap<&'static str, &'static str>);

static CACHED_TRANSLATIONS: LazyLock<Option<Translations>> = LazyLock::new(|| {
    let (classes, patterns) = TRANSLATIONS.split_once("%%\n")?;
    let classes = hir_code::read_classes(classes)?;
    let by_source = patterns
        .lines()
        .map(|line| line.split_once('\t').map(|(form, source)| (source, form)))
        .collect::<Option<_>>()?;
    Some((classes, by_source))
});

/// The translation of a pattern with this expanded source, if cached,
/// with its classes cut to `alphabet` if one is given.
pub(crate) fn translation(source: &str, alphabet: Option<&Alphabet>) -> Option<Hir> {
    let (classes, by_source) = CACHED_TRANSLATIONS.as_ref()?;
    let form = by_source.get(source)?;
    match alphabet {
        Some(alphabet) => hir_code::decode(form, alphabet.cut_classes(classes)),
        None => hir_code::decode(form, classes),
    }
}

/// The forms of `lists`, if they are the cached lexicons word for word.
pub(crate) fn forms(lists: &Lists) -> Option<Forms> {
    let (cached_lists, lines) = LEXICONS.split_once('\n')?;
    if serde_json::to_string(lists).ok()? != cached_lists {
        return None;
    }
    let mut forms = Forms::default();
    for line in lines.lines() {
        let (form, holders) = line.split_once('\t')?;
        forms.start(form.to_string());
        for holder in holders.split(' ') {
            let (id, wildcard) = holder
                .strip_suffix('*')
                .map_or((holder, false), |id| (id, true));
            forms.hold(id.parse().ok()?, wildcard);
        }
    }
    Some(forms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    /// One JSON entry per line, so that a rule change shows as a small diff.
    fn lines<T: serde::Serialize>(entries: impl Iterator<Item = (String, T)>) -> String {
        let body: Vec<String> = entries
            .map(|(k, v)| {
                format!(
                    "{}: {}",
                    serde_json::to_string(&k).unwrap(),
                    serde_json::to_string(&v).unwrap()
                )
            })
            .collect();
        format!("{{\n{}\n}}\n", body.join(",\n"))
    }

    /// The cache files as the current built-in packs give them, worked out
    /// without the cache.
    fn generate() -> (String, String, String) {
        let set = RuleSet::builtin().unwrap();
        let mut table = hir_code::ClassTable::default();
        let mut written = Vec::new();
        for source in set.distinct_sources() {
            assert!(!source.contains(['\t', '\n']), "{source:?}");
            let hir = crate::rules::expression::translate(source, None).unwrap();
            let form = hir_code::encode(&hir, &mut table).expect("built-in patterns are writable");
            written.push(format!("{form}\t{source}\n"));
        }
        let translations = format!("{}%%\n{}", table.write(), written.concat());
        let mut requirements = BTreeMap::new();
        for rule in set.rules() {
            for pattern in rule.all_patterns().chain(&rule.not_after) {
                let source = pattern.as_str().to_string();
                let required = crate::rules::prefilter::requirements(&source).unwrap();
                requirements.insert(source, required);
            }
        }
        let mut lexicons = serde_json::to_string(set.lexicons().lists()).unwrap();
        let forms = set.lexicons().forms().unwrap();
        for (i, form) in forms.forms.iter().enumerate() {
            assert!(!form.contains(['\t', '\n']), "{form:?}");
            let holders: Vec<String> = forms
                .held
                .of(i)
                .iter()
                .map(|&(id, wildcard)| format!("{id}{}", if wildcard { "*" } else { "" }))
                .collect();
            lexicons.push_str(&format!("\n{form}\t{}", holders.join(" ")));
        }
        lexicons.push('\n');
        (lines(requirements.into_iter()), lexicons, translations)
    }

    #[test]
    fn builtin_cache_is_fresh() {
        let (requirements, lexicons, translations) = generate();
        if std::env::var_os("PURPOSE_LINT_UPDATE_CACHE").is_some() {
            let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/rules/cache");
            std::fs::write(format!("{dir}/requirements.json"), &requirements).unwrap();
            std::fs::write(format!("{dir}/lexicons.txt"), &lexicons).unwrap();
            std::fs::write(format!("{dir}/hir.txt"), &translations).unwrap();
            return;
        }
        let how = "the built-in packs changed: run \
                   `PURPOSE_LINT_UPDATE_CACHE=1 cargo test --lib builtin_cache` and commit \
                   src/rules/cache";
        assert!(requirements == REQUIREMENTS, "requirements: {how}");
        assert!(lexicons == LEXICONS, "lexicons: {how}");
        assert!(translations == TRANSLATIONS, "translations: {how}");
    }

    #[test]
    fn every_builtin_pattern_reads_back_as_it_translates() {
        let set = RuleSet::builtin().unwrap();
        for source in set.distinct_sources() {
            let translated = crate::rules::expression::translate(source, None).unwrap();
            let cached = translation(source, None).expect("every built-in pattern is cached");
            assert_eq!(format!("{cached:?}"), format!("{translated:?}"), "{source}");
        }
    }

    #[test]
    fn the_cache_answers_for_the_builtin_packs_and_only_for_them() {
        let set = RuleSet::builtin().unwrap();
        assert!(forms(set.lexicons().lists()).is_some());
        let mut changed = set.lexicons().clone();
        let name = changed.names().next().unwrap().to_string();
        assert!(changed.extend(&name, vec!["zebra-keeper".into()]));
        assert!(forms(changed.lists()).is_none());
        let pattern = set.rules()[0].patterns[0].as_str();
        assert!(requirements(pattern).is_some());
        assert!(requirements(&format!("{pattern}x")).is_none());
        assert!(translation(pattern, None).is_some());
        assert!(translation(&format!("{pattern}x"), None).is_none());
    }
}
