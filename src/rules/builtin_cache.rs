//! What the built-in packs always load to, worked out ahead of time: every
//! start-up read each pattern's requirements from its syntax tree (21M
//! instructions) and built every form of every lexicon (15M), about a
//! third of a one-file run, for the same packs each time; and every
//! pattern a run compiles was translated from its syntax tree again (15M
//! of a one-file run's 50M, see [`super::hir_code`]) and, for an ASCII
//! document, compiled to the same automaton again (11M of 30M, see
//! [`super::nfa_code`]).
//!
//! All are pure functions of their input, and the cache keeps the input
//! beside the output: a pattern's expanded source, the lexicons' words. A
//! pattern or lexicon that differs from the cached one (a user pack, a
//! built-in edited since) is worked out as before. So the cache can only
//! be stale, never wrong; `builtin_cache_is_fresh` fails when it is stale
//! and says how to regenerate it.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock};

use regex_automata::nfa::thompson::NFA;
use regex_syntax::hir::Hir;

use super::alphabet::{self, Alphabet};
use super::hir_code;
use super::lexicon::{Forms, Inflect};
use super::nfa_code;
use super::pack::PackFile;
use super::prefilter::Atom;

/// Every built-in pattern, worked out: the class table of the
/// translations (see [`super::hir_code`]), a line `%%`, then a line per
/// pattern, its fields separated by tabs: its translation; for each of
/// the alphabets of [`alphabet::cached`], its automaton there (see
/// [`super::nfa_code`]) and the literals its matches start with (see
/// [`read_prefixes`]); its requirements (see [`read_requirements`]); and
/// its expanded source. Text the loader
/// splits, not JSON: the requirements alone cost 1.6M instructions to
/// parse as JSON.
const PATTERNS: &str = include_str!("cache/patterns.txt");
/// The built-in lexicons and their forms: a line of the lists as JSON, then
/// a line per form: the form, a tab, and the lists holding it (their
/// indices, each followed by `*` where the form is a wildcard there),
/// separated by spaces. A text the loader splits, not JSON: parsing 5,357
/// forms as JSON cost 11M instructions, most of what caching saves.
const LEXICONS: &str = include_str!("cache/lexicons.txt");

/// The built-in packs, parsed: a line per pack, with its path, a tab, the
/// FNV-1a hash of its TOML in hex, a tab, and the parsed pack as JSON,
/// spans included (see [`super::pack::Spanned`]). Parsing the packs' 80 KB
/// of TOML was 6M instructions, a sixth of a one-file run, and all of it
/// before anything else could start.
const PACKS: &str = include_str!("cache/packs.txt");

/// The lexicons as packs define them, by name.
pub(crate) type Lists = BTreeMap<String, (Vec<String>, Inflect)>;

/// The cached patterns: the translations' classes, and by source each
/// pattern's written fields.
struct Patterns {
    classes: Vec<Hir>,
    by_source: HashMap<&'static str, Entry, foldhash::fast::RandomState>,
}

/// One pattern's fields as written in [`PATTERNS`].
struct Entry {
    translation: &'static str,
    /// By alphabet of [`alphabet::cached`]: the automaton and its prefixes.
    automata: [(&'static str, &'static str); 2],
    requirements: &'static str,
}

static CACHED_PATTERNS: LazyLock<Option<Patterns>> = LazyLock::new(|| {
    let (classes, lines) = PATTERNS.split_once("%%\n")?;
    let mut by_source = HashMap::with_capacity_and_hasher(256, Default::default());
    for line in lines_of(lines) {
        let (translation, rest) = split_at_tab(line)?;
        let (ascii_automaton, rest) = split_at_tab(rest)?;
        let (ascii_prefixes, rest) = split_at_tab(rest)?;
        let (common_automaton, rest) = split_at_tab(rest)?;
        let (common_prefixes, rest) = split_at_tab(rest)?;
        let (requirements, source) = split_at_tab(rest)?;
        let entry = Entry {
            translation,
            automata: [
                (ascii_automaton, ascii_prefixes),
                (common_automaton, common_prefixes),
            ],
            requirements,
        };
        by_source.insert(source, entry);
    }
    Some(Patterns {
        classes: hir_code::read_classes(classes)?,
        by_source,
    })
});

fn cached(source: &str) -> Option<(&'static Patterns, &'static Entry)> {
    let patterns = CACHED_PATTERNS.as_ref()?;
    Some((patterns, patterns.by_source.get(source)?))
}

/// Text before and after the first tab, found with memchr: long lines
/// (a pack's JSON, a pattern's translation) are a few dozen bytes apart in
/// the standard library's character search.
fn split_at_tab(line: &str) -> Option<(&str, &str)> {
    let tab = memchr::memchr(b'\t', line.as_bytes())?;
    Some((&line[..tab], &line[tab + 1..]))
}

/// The lines of `text`, each without its `\n`, found with memchr: the
/// standard library's line search went through the 450 KB of patterns a
/// word at a time.
fn lines_of(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        // A newline is ASCII: every cut is at a character boundary.
        let end = memchr::memchr(b'\n', rest.as_bytes()).unwrap_or(rest.len());
        let line = &rest[..end];
        rest = &rest[(end + 1).min(rest.len())..];
        Some(line)
    })
}

/// The cached packs: path, hash of the text, JSON.
static CACHED_PACKS: LazyLock<Vec<(&'static str, &'static str, &'static str)>> =
    LazyLock::new(|| {
        lines_of(PACKS)
            .filter_map(|line| {
                let (path, rest) = split_at_tab(line)?;
                let (hash, json) = split_at_tab(rest)?;
                Some((path, hash, json))
            })
            .collect()
    });

/// The pack at `path`, parsed, if the cache holds it for exactly `text`.
pub(crate) fn pack(path: &str, text: &str) -> Option<PackFile> {
    let &(_, hash, json) = CACHED_PACKS.iter().find(|(cached, ..)| *cached == path)?;
    if hash != text_hash(text) {
        return None;
    }
    serde_json::from_str(json).ok()
}

/// The FNV-1a hash of `text`, in hex: stable across builds and
/// toolchains, unlike the standard library's.
fn text_hash(text: &str) -> String {
    use std::hash::Hasher as _;
    let mut hasher = fnv::FnvHasher::default();
    hasher.write(text.as_bytes());
    format!("{:016x}", hasher.finish())
}

/// The requirements of a pattern with this expanded source, if cached.
pub(crate) fn requirements(source: &str) -> Option<Vec<Vec<Atom>>> {
    read_requirements(cached(source)?.1.requirements)
}

/// The translation of a pattern with this expanded source, if cached,
/// with its classes cut to `alphabet` if one is given.
pub(crate) fn translation(source: &str, alphabet: Option<&Alphabet>) -> Option<Hir> {
    let (patterns, entry) = cached(source)?;
    match alphabet {
        Some(alphabet) => {
            hir_code::decode(entry.translation, alphabet.cut_classes(&patterns.classes))
        }
        None => hir_code::decode(entry.translation, &patterns.classes),
    }
}

/// The automaton of a pattern with this expanded source for texts of the
/// smallest of [`alphabet::cached`] that covers `alphabet`, if there is
/// one and the pattern is cached: that alphabet, the automaton, and the
/// literals its matches start with (see
/// [`super::expression::prefix_literals`]).
pub(crate) fn automaton(source: &str, alphabet: &Alphabet) -> Option<Automaton> {
    let at = alphabet::cached().iter().position(|a| a.covers(alphabet))?;
    let (automaton, prefixes) = cached(source)?.1.automata[at];
    Some(Automaton {
        compiled_for: &alphabet::cached()[at],
        nfa: nfa_code::decode(automaton)?,
        prefixes: read_prefixes(prefixes)?,
    })
}

/// A pattern's automaton compiled ahead, as [`automaton`] reads it.
pub(crate) struct Automaton {
    /// The alphabet it was compiled for.
    pub(crate) compiled_for: &'static Arc<Alphabet>,
    pub(crate) nfa: NFA,
    /// The literals its matches start with, if they can be listed.
    pub(crate) prefixes: Option<Vec<Vec<u8>>>,
}

/// Writes the literals matches start with: `-` when they cannot be
/// listed, else each literal's bytes in hex after a `'` (nothing at all
/// for no literals).
#[cfg(test)]
fn write_prefixes(prefixes: Option<&[Vec<u8>]>) -> String {
    match prefixes {
        None => "-".to_string(),
        Some(literals) => literals
            .iter()
            .map(|l| {
                let hex: String = l.iter().map(|b| format!("{b:02x}")).collect();
                format!("'{hex}")
            })
            .collect(),
    }
}

/// Reads what `write_prefixes` (test-only) writes.
fn read_prefixes(text: &str) -> Option<Option<Vec<Vec<u8>>>> {
    if text == "-" {
        return Some(None);
    }
    let Some(literals) = text.strip_prefix('\'') else {
        return text.is_empty().then_some(Some(Vec::new()));
    };
    literals
        .split('\'')
        .map(hir_code::hex_bytes)
        .collect::<Option<Vec<_>>>()
        .map(Some)
}

/// Writes a pattern's requirements: each clause's atoms separated by
/// commas and ended by `;`, an atom being `x` and a lexicon's placeholder
/// bit, `l`, a literal's length in bytes, `:` and the literal as it is,
/// or, for a literal holding a tab or a line end (which would split the
/// cache's fields), `h` and its bytes in hex.
#[cfg(test)]
fn write_requirements(clauses: &[Vec<Atom>]) -> String {
    let mut out = String::new();
    for clause in clauses {
        let atoms: Vec<String> = clause
            .iter()
            .map(|atom| match atom {
                Atom::Lexicon(bit) => format!("x{bit}"),
                Atom::Literal(text) if text.contains(['\t', '\n', '\r']) => {
                    let hex: String = text.bytes().map(|b| format!("{b:02x}")).collect();
                    format!("h{hex}")
                }
                Atom::Literal(text) => format!("l{}:{text}", text.len()),
            })
            .collect();
        out.push_str(&atoms.join(","));
        out.push(';');
    }
    out
}

/// Reads what `write_requirements` (test-only) writes, in one pass: a
/// literal is a slice of the cache, not hex to decode (which, with the
/// UTF-8 check after it, was half of reading 1,900 literals).
fn read_requirements(text: &'static str) -> Option<Vec<Vec<Atom>>> {
    let mut clauses = Vec::new();
    let mut atoms = Vec::new();
    let mut rest = text;
    // After a comma an atom must follow.
    let mut atom_due = false;
    while let Some(&kind) = rest.as_bytes().first() {
        if kind == b';' && !atom_due {
            clauses.push(std::mem::take(&mut atoms));
            rest = &rest[1..];
            continue;
        }
        // The kind is one ASCII letter, so 1 is a character boundary.
        let body = rest.get(1..)?;
        let digits = body.bytes().take_while(u8::is_ascii_digit).count();
        let (atom, after) = match kind {
            b'x' => (
                Atom::Lexicon(hir_code::decimal(&body.as_bytes()[..digits])?),
                &body[digits..],
            ),
            b'l' => {
                let len = hir_code::decimal(&body.as_bytes()[..digits])? as usize;
                let literal = body[digits..].strip_prefix(':')?;
                (
                    Atom::Literal(Cow::Borrowed(literal.get(..len)?)),
                    &literal[len..],
                )
            }
            b'h' => {
                let end = body.find([',', ';']).unwrap_or(body.len());
                let bytes = hir_code::hex_bytes(&body[..end])?;
                (
                    Atom::Literal(Cow::Owned(String::from_utf8(bytes).ok()?)),
                    &body[end..],
                )
            }
            _ => return None,
        };
        atoms.push(atom);
        rest = after;
        atom_due = rest.starts_with(',');
        if atom_due {
            rest = &rest[1..];
        } else if !rest.starts_with(';') {
            return None;
        }
    }
    (atoms.is_empty() && !atom_due).then_some(clauses)
}

/// A writer that accepts only the bytes it expects, in order: the lists'
/// JSON is compared with the cached one as it is written, not built as a
/// 24 KB string first.
struct SameAs<'e>(&'e [u8]);

impl std::io::Write for SameAs<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match self.0.strip_prefix(bytes) {
            Some(rest) => {
                self.0 = rest;
                Ok(bytes.len())
            }
            None => Err(std::io::Error::other("not the cached lexicons")),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The forms of `lists`, if they are the cached lexicons word for word.
///
/// Split by bytes, not `str::split`: the 16,000 short splits through the
/// standard library's character searcher were half the cost.
pub(crate) fn forms(lists: &Lists) -> Option<Forms> {
    let (cached_lists, _) = LEXICONS.split_once('\n')?;
    let mut compared = SameAs(cached_lists.as_bytes());
    serde_json::to_writer(&mut compared, lists).ok()?;
    if !compared.0.is_empty() {
        return None;
    }
    builtin_forms()
}

/// The forms of the built-in packs' lexicons, as cached: for lists known
/// to be those (see [`super::lexicon::Lexicons::compile_builtin`]).
pub(crate) fn builtin_forms() -> Option<Forms> {
    let (_, lines) = LEXICONS.split_once('\n')?;
    // Sized once: grown a doubling at a time, the vectors touched twice
    // the memory, and every fresh page is a fault (~2 µs here).
    let mut forms = Forms::with_capacity(memchr::memchr_iter(b'\n', lines.as_bytes()).count());
    // One pass over the bytes: a line is a dozen bytes, too short for
    // memchr's set-up (two calls a line were a quarter of the cost).
    let bytes = lines.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let tab = at + bytes[at..].iter().position(|&b| b == b'\t')?;
        // Tab, space, `*` and newline are ASCII: every cut is at a
        // character boundary.
        forms.start(Cow::Borrowed(&lines[at..tab]));
        at = tab + 1;
        loop {
            let digits = bytes[at..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            let id = hir_code::decimal(&bytes[at..at + digits])?;
            at += digits;
            let wildcard = bytes.get(at) == Some(&b'*');
            at += usize::from(wildcard);
            forms.hold(id, wildcard);
            match bytes.get(at) {
                Some(b' ') => at += 1,
                Some(b'\n') | None => break,
                Some(_) => return None,
            }
        }
        at += 1;
    }
    Some(forms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;
    use crate::rules::expression::{nfa_of, prefix_literals, translate};

    /// The cache files as the current built-in packs give them, worked out
    /// without the cache.
    fn generate() -> (String, String, String) {
        let mut packs = String::new();
        for (path, text) in crate::rules::BUILTIN_PACKS {
            let parsed: PackFile = toml::from_str(text).unwrap();
            let json = serde_json::to_string(&parsed).unwrap();
            packs.push_str(&format!("{path}\t{}\t{json}\n", text_hash(text)));
        }
        let set = RuleSet::builtin().unwrap();
        let mut table = hir_code::ClassTable::default();
        let mut lines = Vec::new();
        for source in set.distinct_sources() {
            assert!(!source.contains(['\t', '\n']), "{source:?}");
            let hir = translate(source, None).unwrap();
            let translation =
                hir_code::encode(&hir, &mut table).expect("built-in patterns are writable");
            let automata: Vec<String> = alphabet::cached()
                .iter()
                .map(|alphabet| {
                    let (automaton, prefixes) = automaton_of(source, alphabet);
                    format!("{automaton}\t{}", write_prefixes(prefixes.as_deref()))
                })
                .collect();
            let automata = automata.join("\t");
            let required = crate::rules::prefilter::requirements(source).unwrap();
            let requirements = write_requirements(&required);
            lines.push(format!(
                "{translation}\t{automata}\t{requirements}\t{source}\n"
            ));
        }
        let patterns = format!("{}%%\n{}", table.write(), lines.concat());
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
        (patterns, lexicons, packs)
    }

    /// A pattern's automaton for texts of `alphabet`, written, and its
    /// prefix literals, as compiling it gives them.
    fn automaton_of(source: &str, alphabet: &Alphabet) -> (String, Option<Vec<Vec<u8>>>) {
        let hir = translate(source, Some(alphabet)).unwrap();
        let nfa = nfa_of(&hir).unwrap();
        let written = nfa_code::encode(&nfa).expect("built-in automata are writable");
        (written, prefix_literals(&hir))
    }

    #[test]
    fn builtin_cache_is_fresh() {
        let (patterns, lexicons, packs) = generate();
        if std::env::var_os("PURPOSE_LINT_UPDATE_CACHE").is_some() {
            let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/rules/cache");
            std::fs::write(format!("{dir}/patterns.txt"), &patterns).unwrap();
            std::fs::write(format!("{dir}/lexicons.txt"), &lexicons).unwrap();
            std::fs::write(format!("{dir}/packs.txt"), &packs).unwrap();
            return;
        }
        let how = "the built-in packs changed: run \
                   `PURPOSE_LINT_UPDATE_CACHE=1 cargo test --lib builtin_cache` and commit \
                   src/rules/cache";
        assert!(patterns == PATTERNS, "patterns: {how}");
        assert!(lexicons == LEXICONS, "lexicons: {how}");
        assert!(packs == PACKS, "packs: {how}");
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
    fn every_builtin_pattern_reads_back_its_automata() {
        let set = RuleSet::builtin().unwrap();
        // Texts of each cached alphabet, and of neither.
        let texts = [
            "plain text",
            "it’s – “quoted” · text",
            "it’s – “quoted” · é",
        ];
        let alphabets = texts.map(|text| Alphabet::of(text).unwrap());
        let mut listed = 0;
        for source in set.distinct_sources() {
            for (alphabet, cached) in alphabets.iter().zip(alphabet::cached()) {
                let hir = translate(source, Some(cached)).unwrap();
                let read = automaton(source, alphabet).expect("every built-in is cached");
                assert!(Arc::ptr_eq(read.compiled_for, cached), "{source}");
                assert_eq!(
                    format!("{:?}", read.nfa),
                    format!("{:?}", nfa_of(&hir).unwrap())
                );
                assert_eq!(read.prefixes, prefix_literals(&hir), "{source}");
                listed += usize::from(read.prefixes.is_some());
            }
            assert!(automaton(source, &alphabets[2]).is_none(), "{source}");
        }
        assert!(listed > 100, "{listed}");
    }

    #[test]
    fn prefixes_read_back_as_written() {
        for prefixes in [
            None,
            Some(vec![]),
            Some(vec![vec![]]),
            Some(vec![b"ab".to_vec(), vec![0xff, 0]]),
        ] {
            let written = write_prefixes(prefixes.as_deref());
            assert_eq!(read_prefixes(&written), Some(prefixes), "{written}");
        }
        for bad in ["--", "'6", "'zz", "61"] {
            assert_eq!(read_prefixes(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn every_builtin_pattern_has_its_requirements_read_back() {
        let set = RuleSet::builtin().unwrap();
        let mut clauses = 0;
        for source in set.distinct_sources() {
            let worked_out = crate::rules::prefilter::requirements(source).unwrap();
            assert_eq!(requirements(source), Some(worked_out.clone()), "{source}");
            clauses += worked_out.len();
        }
        assert!(clauses > 100, "{clauses}");
        for text in [
            "x",
            "x1",
            "l6;",
            "q1;",
            "x1;x",
            ";;x1,l1:a;x",
            "x1,;",
            "x1,",
            "l2:a;",
            "l1a;",
            "l:a;",
            "l1:é;",
            "h6;",
            "hzz;",
            "é;",
            "x1x2;",
        ] {
            assert_eq!(read_requirements(text), None, "{text:?}");
        }
        assert_eq!(read_requirements(""), Some(vec![]));
        assert_eq!(read_requirements(";"), Some(vec![vec![]]));
        // Literals holding the separators, a tab and a line end read back.
        let clauses = vec![
            vec![Atom::Literal("a,b;c".into()), Atom::Lexicon(3)],
            vec![],
            vec![
                Atom::Literal("tab\there\n".into()),
                Atom::Literal("é".into()),
            ],
        ];
        // Read as the cache is, from a static text.
        let written: &'static str = write_requirements(&clauses).leak();
        assert!(!written.contains(['\t', '\n']), "{written:?}");
        assert_eq!(read_requirements(written), Some(clauses));
    }

    #[test]
    fn every_builtin_pack_reads_back_as_it_parses_spans_and_all() {
        for (path, text) in crate::rules::BUILTIN_PACKS {
            let parsed: PackFile = toml::from_str(text).unwrap();
            let cached = pack(path, text).expect("every built-in pack is cached");
            assert_eq!(
                serde_json::to_string(&cached).unwrap(),
                serde_json::to_string(&parsed).unwrap(),
                "{path}"
            );
            // The spans are real: the first rule's id is where the TOML has it.
            if let Some(rule) = cached.rule.first() {
                let at = &text[rule.id.span()];
                assert_eq!(at.trim_matches('"'), rule.id.get_ref(), "{path}");
            }
            assert!(pack(path, &format!("{text}\n")).is_none(), "{path}: edited");
            assert!(pack("rules/other.toml", text).is_none());
        }
    }

    #[test]
    fn the_cache_answers_for_the_builtin_packs_and_only_for_them() {
        let set = RuleSet::builtin().unwrap();
        assert!(forms(set.lexicons().lists()).is_some());
        // Trusted without comparing the lists only for the built-in packs:
        // their forms are the ones worked out from the lists.
        let worked_out = set.lexicons().forms().unwrap();
        let cached = builtin_forms().unwrap();
        assert_eq!(cached.forms, worked_out.forms);
        assert_eq!(
            format!("{:?}", cached.held),
            format!("{:?}", worked_out.held)
        );
        let mut changed = set.lexicons().clone();
        let name = changed.names().next().unwrap().to_string();
        assert!(changed.extend(&name, vec!["zebra-keeper".into()]));
        assert!(forms(changed.lists()).is_none());
        let pattern = set.rules()[0].patterns[0].as_str();
        assert!(requirements(pattern).is_some());
        assert!(requirements(&format!("{pattern}x")).is_none());
        assert!(translation(pattern, None).is_some());
        assert!(translation(&format!("{pattern}x"), None).is_none());
        let ascii = Alphabet::of("plain").unwrap();
        assert!(automaton(pattern, &ascii).is_some());
        assert!(automaton(&format!("{pattern}x"), &ascii).is_none());
    }
}
