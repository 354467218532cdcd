//! Lexicons: named word lists that patterns reference as `{name}`.
//!
//! A list is written once in a pack ("teacher", "nurse", "midwife", …) and
//! used by many rules. Each reference expands to a word-bounded alternation.
//! Entries are inflected as the list declares: nouns match their plural and
//! possessive (midwife, midwives, midwife's), verbs their -s, -ing and -ed
//! forms (cut, cuts, cutting; reduce, reducing, reduced; keep, kept). A
//! trailing `*` matches any word ending (`volunteer*` matches "volunteering").

use std::collections::BTreeMap;

/// The most entries one lexicon may hold; larger lists from an untrusted pack
/// are refused rather than compiled into an enormous automaton.
pub const MAX_ENTRIES: usize = 50_000;

/// How a lexicon's entries are inflected when matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Inflect {
    /// Plural and possessive forms.
    #[default]
    Noun,
    /// Third person, -ing and past forms.
    Verb,
    /// Exactly as written.
    None,
}

/// Named word lists, merged across packs.
#[derive(Debug, Clone, Default)]
pub struct Lexicons {
    lists: BTreeMap<String, (Vec<String>, Inflect)>,
}

impl Lexicons {
    /// Defines (or replaces) a list of nouns.
    pub fn define(&mut self, name: &str, words: Vec<String>) {
        self.define_inflected(name, words, Inflect::Noun);
    }

    /// Defines (or replaces) a list inflected as `inflect`.
    pub fn define_inflected(&mut self, name: &str, words: Vec<String>, inflect: Inflect) {
        self.lists.insert(name.to_string(), (words, inflect));
    }

    /// Adds words to a list; returns false when the list does not exist.
    pub fn extend(&mut self, name: &str, words: Vec<String>) -> bool {
        match self.lists.get_mut(name) {
            Some((list, _)) => {
                list.extend(words);
                true
            }
            None => false,
        }
    }

    /// The words of a list.
    pub fn get(&self, name: &str) -> Option<&[String]> {
        self.lists.get(name).map(|(w, _)| w.as_slice())
    }

    /// Every list name, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.lists.keys().map(String::as_str)
    }

    /// Replaces each `{name}` in `pattern` with its list as a regular
    /// expression. Regex repetitions such as `{2}` or `{1,3}` are left alone:
    /// a lexicon name starts with a letter.
    ///
    /// # Errors
    /// Returns the byte offset in `pattern` and the name of an unknown lexicon.
    pub fn expand(&self, pattern: &str) -> Result<String, (usize, String)> {
        let mut out = String::with_capacity(pattern.len());
        let mut rest = pattern;
        let mut consumed = 0;
        while let Some(open) = rest.find('{') {
            let escaped = rest[..open].ends_with('\\') && !rest[..open].ends_with("\\\\");
            let after = &rest[open + 1..];
            let name_len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(after.len());
            let name = &after[..name_len];
            let is_ref = !escaped
                && name.starts_with(|c: char| c.is_ascii_alphabetic())
                && after[name_len..].starts_with('}');
            if !is_ref {
                out.push_str(&rest[..=open]);
                consumed += open + 1;
                rest = after;
                continue;
            }
            let (words, inflect) = self
                .lists
                .get(name)
                .ok_or_else(|| (consumed + open, name.to_string()))?;
            out.push_str(&rest[..open]);
            out.push_str(&alternation(words, *inflect));
            let skip = open + 1 + name_len + 1;
            consumed += skip;
            rest = &rest[skip..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

/// A word-bounded regular expression matching any of `words`. Longer entries
/// come first so that "primary school teacher" wins over "teacher".
fn alternation(words: &[String], inflect: Inflect) -> String {
    let mut entries: Vec<&str> = words
        .iter()
        .map(|w| w.trim())
        .filter(|w| !w.is_empty())
        .collect();
    entries.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    entries.dedup();
    if entries.is_empty() {
        // An empty list matches nothing.
        return "(?:[^\\s\\S])".to_string();
    }
    let parts: Vec<String> = entries.iter().map(|w| entry(w, inflect)).collect();
    format!("(?:\\b(?:{})\\b)", parts.join("|"))
}

fn entry(word: &str, inflect: Inflect) -> String {
    let (stem, wildcard) = match word.strip_suffix('*') {
        Some(stem) => (stem, true),
        None => (word, false),
    };
    let pieces: Vec<&str> = stem.split_whitespace().collect();
    if pieces.is_empty() {
        return String::new();
    }
    // Verbs inflect their first word ("speed up" -> "speeding up"); nouns
    // their last ("head teacher" -> "head teachers").
    let inflected_at = match (wildcard, inflect) {
        (true, _) | (_, Inflect::None) => None,
        (false, Inflect::Verb) => Some(0),
        (false, Inflect::Noun) => Some(pieces.len() - 1),
    };
    let mut parts = Vec::with_capacity(pieces.len());
    for (i, piece) in pieces.iter().enumerate() {
        parts.push(match (inflected_at == Some(i), inflect) {
            (true, Inflect::Verb) => verb_forms(piece),
            (true, _) => inflected(piece),
            _ => regex::escape(piece),
        });
    }
    let mut out = parts.join(r"[\s\-]+");
    if wildcard {
        out.push_str(r"[\w'’\-]*");
    }
    out
}

/// Irregular past forms of verbs common in purpose statements.
const IRREGULAR_PAST: &[(&str, &str)] = &[
    ("bring", "brought"),
    ("build", "built"),
    ("buy", "bought"),
    ("choose", "chose|chosen"),
    ("do", "did|done"),
    ("draw", "drew|drawn"),
    ("drive", "drove|driven"),
    ("feed", "fed"),
    ("find", "found"),
    ("get", "got|gotten"),
    ("give", "gave|given"),
    ("grow", "grew|grown"),
    ("hold", "held"),
    ("keep", "kept"),
    ("lead", "led"),
    ("lend", "lent"),
    ("make", "made"),
    ("meet", "met"),
    ("pay", "paid"),
    ("ride", "rode|ridden"),
    ("run", "ran"),
    ("see", "saw|seen"),
    ("sell", "sold"),
    ("send", "sent"),
    ("shrink", "shrank|shrunk"),
    ("speak", "spoke|spoken"),
    ("spend", "spent"),
    ("swim", "swam|swum"),
    ("take", "took|taken"),
    ("teach", "taught"),
    ("tell", "told"),
    ("think", "thought"),
    ("win", "won"),
    ("write", "wrote|written"),
];

/// A verb with its -s, -ing and past forms: cut/cuts/cutting,
/// reduce/reducing/reduced, apply/applies/applied, keep/kept.
fn verb_forms(word: &str) -> String {
    let lower = word.to_lowercase();
    if !lower.chars().all(|c| c.is_alphabetic() || c == '-') || lower.len() < 2 {
        return regex::escape(word);
    }
    let bytes = lower.as_bytes();
    let last = bytes[bytes.len() - 1] as char;
    let is_vowel = |c: char| "aeiou".contains(c);
    let mut forms: Vec<String> = vec![lower.clone()];
    if lower.ends_with('e') && !lower.ends_with("ee") && !lower.ends_with("ye") {
        let stem = &lower[..lower.len() - 1];
        forms.extend([
            format!("{lower}s"),
            format!("{stem}ing"),
            format!("{lower}d"),
        ]);
    } else if lower.ends_with("ee") {
        forms.extend([
            format!("{lower}s"),
            format!("{lower}ing"),
            format!("{lower}d"),
        ]);
    } else if last == 'y' && !is_vowel(bytes[bytes.len() - 2] as char) {
        let stem = &lower[..lower.len() - 1];
        forms.extend([
            format!("{stem}ies"),
            format!("{lower}ing"),
            format!("{stem}ied"),
        ]);
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        forms.extend([
            format!("{lower}es"),
            format!("{lower}ing"),
            format!("{lower}ed"),
        ]);
    } else {
        forms.extend([
            format!("{lower}s"),
            format!("{lower}ing"),
            format!("{lower}ed"),
        ]);
        // One-syllable consonant-vowel-consonant verbs double: cut -> cutting.
        let vowel_groups = lower
            .chars()
            .zip(std::iter::once(' ').chain(lower.chars()))
            .filter(|(c, prev)| is_vowel(*c) && !is_vowel(*prev))
            .count();
        let cvc = bytes.len() >= 3
            && !is_vowel(last)
            && !"wxy".contains(last)
            && is_vowel(bytes[bytes.len() - 2] as char)
            && !is_vowel(bytes[bytes.len() - 3] as char);
        if cvc && vowel_groups == 1 {
            forms.extend([format!("{lower}{last}ing"), format!("{lower}{last}ed")]);
        }
    }
    if let Some((_, past)) = IRREGULAR_PAST.iter().find(|(v, _)| *v == lower) {
        forms.extend(past.split('|').map(str::to_string));
    }
    forms.sort();
    forms.dedup();
    let escaped: Vec<String> = forms.iter().map(|f| regex::escape(f)).collect();
    format!("(?:{})", escaped.join("|"))
}

/// A noun with its plural and possessive forms: nurse/nurses/nurse's,
/// midwife/midwives, secondary/secondaries, chairman/chairmen.
fn inflected(word: &str) -> String {
    const POSSESSIVE: &str = r"(?:'s|’s|s'|s’)?";
    if !word.ends_with(|c: char| c.is_alphabetic()) {
        return regex::escape(word);
    }
    let lower = word.to_lowercase();
    let consonant_y = lower.ends_with('y')
        && !lower.ends_with("ay")
        && !lower.ends_with("ey")
        && !lower.ends_with("oy")
        && !lower.ends_with("uy");
    let swap = |cut: usize, forms: &str| {
        format!(
            "{}(?:{forms}){POSSESSIVE}",
            regex::escape(&word[..word.len() - cut])
        )
    };
    if consonant_y {
        swap(1, "y|ies")
    } else if lower.ends_with("fe") {
        swap(2, "fe|ves|fes")
    } else if lower.ends_with("man") {
        swap(3, "man|men|mans")
    } else if lower.ends_with("child") {
        swap(0, "|ren")
    } else if lower.ends_with("person") {
        swap(0, "|s")
    } else {
        format!("{}(?:s|es)?{POSSESSIVE}", regex::escape(word))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::RegexBuilder;

    fn lex() -> Lexicons {
        let mut l = Lexicons::default();
        l.define(
            "role",
            vec![
                "teacher".into(),
                "nurse".into(),
                "head teacher".into(),
                "volunteer*".into(),
                "midwife".into(),
                "secondary".into(),
                "chairman".into(),
            ],
        );
        l
    }

    fn matches(pattern: &str, text: &str) -> Vec<String> {
        let re = RegexBuilder::new(&lex().expand(pattern).unwrap())
            .case_insensitive(true)
            .build()
            .unwrap();
        re.find_iter(text).map(|m| m.as_str().to_string()).collect()
    }

    #[test]
    fn references_expand_to_word_bounded_lists() {
        assert_eq!(
            matches("{role}", "Nurses and head teachers"),
            ["Nurses", "head teachers"]
        );
        assert_eq!(matches("{role}", "volunteering"), ["volunteering"]);
        assert_eq!(
            matches("{role}", "midwives, secondaries, chairmen"),
            ["midwives", "secondaries", "chairmen"]
        );
        assert!(matches("{role}", "nursery").is_empty());
    }

    #[test]
    fn verbs_match_their_forms() {
        let mut l = Lexicons::default();
        let verbs = [
            "cut", "reduce", "apply", "keep", "fix", "speed up", "open", "agree",
        ];
        l.define_inflected("v", verbs.map(String::from).to_vec(), Inflect::Verb);
        let re = RegexBuilder::new(&l.expand("{v}").unwrap())
            .case_insensitive(true)
            .build()
            .unwrap();
        for form in [
            "cutting",
            "cuts",
            "reducing",
            "reduced",
            "applies",
            "applied",
            "kept",
            "fixes",
            "speeding up",
            "opening",
            "agreed",
        ] {
            assert!(re.is_match(form), "{form}");
        }
        assert!(!re.is_match("cutter"));
        assert!(!re.is_match("openning"));
    }

    #[test]
    fn repetitions_are_not_references() {
        assert_eq!(lex().expand(r"\d{2,3}").unwrap(), r"\d{2,3}");
        assert_eq!(lex().expand(r"a{2}").unwrap(), "a{2}");
    }

    #[test]
    fn unknown_lexicon_is_an_error_at_its_offset() {
        assert_eq!(lex().expand("x {nope}"), Err((2, "nope".into())));
    }
}
