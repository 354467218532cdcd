//! Lexicons: named word lists that patterns reference as `{name}`.
//!
//! A list is written once in a pack ("teacher", "nurse", "midwife", …) and
//! used by many rules. Each reference expands to a word-bounded alternation;
//! every entry also matches its plural and possessive, and a trailing `*`
//! matches any word ending (`volunteer*` matches "volunteering").

use std::collections::BTreeMap;

/// The most entries one lexicon may hold; larger lists from an untrusted pack
/// are refused rather than compiled into an enormous automaton.
pub const MAX_ENTRIES: usize = 50_000;

/// Named word lists, merged across packs.
#[derive(Debug, Clone, Default)]
pub struct Lexicons {
    lists: BTreeMap<String, Vec<String>>,
}

impl Lexicons {
    /// Defines (or replaces) a list.
    pub fn define(&mut self, name: &str, words: Vec<String>) {
        self.lists.insert(name.to_string(), words);
    }

    /// Adds words to a list; returns false when the list does not exist.
    pub fn extend(&mut self, name: &str, words: Vec<String>) -> bool {
        match self.lists.get_mut(name) {
            Some(list) => {
                list.extend(words);
                true
            }
            None => false,
        }
    }

    /// The words of a list.
    pub fn get(&self, name: &str) -> Option<&[String]> {
        self.lists.get(name).map(Vec::as_slice)
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
            let words = self
                .get(name)
                .ok_or_else(|| (consumed + open, name.to_string()))?;
            out.push_str(&rest[..open]);
            out.push_str(&alternation(words));
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
fn alternation(words: &[String]) -> String {
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
    let parts: Vec<String> = entries.iter().map(|w| entry(w)).collect();
    format!("(?:\\b(?:{})\\b)", parts.join("|"))
}

fn entry(word: &str) -> String {
    let (stem, wildcard) = match word.strip_suffix('*') {
        Some(stem) => (stem, true),
        None => (word, false),
    };
    let pieces: Vec<&str> = stem.split_whitespace().collect();
    let Some((last, init)) = pieces.split_last() else {
        return String::new();
    };
    let mut out = String::new();
    for piece in init {
        out.push_str(&regex::escape(piece));
        out.push_str(r"[\s\-]+");
    }
    if wildcard {
        out.push_str(&regex::escape(last));
        out.push_str(r"[\w'’\-]*");
    } else {
        out.push_str(&inflected(last));
    }
    out
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
    fn repetitions_are_not_references() {
        assert_eq!(lex().expand(r"\d{2,3}").unwrap(), r"\d{2,3}");
        assert_eq!(lex().expand(r"a{2}").unwrap(), "a{2}");
    }

    #[test]
    fn unknown_lexicon_is_an_error_at_its_offset() {
        assert_eq!(lex().expand("x {nope}"), Err((2, "nope".into())));
    }
}
