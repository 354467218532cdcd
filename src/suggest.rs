//! Choosing a suggestion's example so that it never repeats the statement.
//!
//! A suggestion such as "replace 'get involved' with an activity and a
//! commitment, e.g. 'each member reviews two drafts a month'" teaches by
//! example; an example built from words the statement already uses reads as
//! if the linter had not read it. Rules give several examples
//! (`suggestion-examples`); the first whose content words the statement
//! does not use is shown.

use std::collections::HashSet;

/// Words that frame an example rather than carry its content: repeating
/// them is not repeating the statement.
const FRAME_WORDS: &[&str] = &[
    "a", "an", "and", "or", "the", "of", "in", "on", "at", "to", "for", "by", "with", "from",
    "who", "whom", "where", "what", "when", "which", "that", "this", "they", "their", "them", "we",
    "our", "you", "your", "it", "its", "is", "are", "be", "each", "every", "one", "two", "three",
    "member", "members", "so", "can", "will", "e", "g", "eg",
];

/// The comparable form of a word: lowercase, with a possessive and a
/// plural or verb ending taken off ("reviews", "reviewed", "reviewing" and
/// "review" compare equal).
pub fn normalise(word: &str) -> String {
    let mut out = String::new();
    normalise_into(word, &mut out);
    out
}

/// [`normalise`] into `out`, replacing what it held: examples' words are
/// normalised for every finding with a suggestion, into one buffer.
fn normalise_into(word: &str, out: &mut String) {
    out.clear();
    let word = strip_all(strip_all(word, "'s"), "’s");
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
    } else {
        out.push_str(&word.to_lowercase());
    }
    for ending in ["ing", "ies", "es", "ed", "s"] {
        if let Some(stem) = out.strip_suffix(ending)
            && stem.chars().count() >= 3
        {
            out.truncate(stem.len());
            return;
        }
    }
}

/// `word` without any number of `suffix` at its end: what
/// `trim_end_matches` does, without building a substring searcher on every
/// call (1% of a many-document run, called for every word of every
/// statement).
fn strip_all<'a>(mut word: &'a str, suffix: &str) -> &'a str {
    while let Some(shorter) = word.strip_suffix(suffix) {
        word = shorter;
    }
    word
}

/// The content words of `text`, as written.
fn content_words(text: &str) -> impl Iterator<Item = &str> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'))
        .map(|w| w.trim_matches(|c| c == '\'' || c == '’' || c == '-'))
        .filter(|w| !w.is_empty() && !FRAME_WORDS.iter().any(|f| f.eq_ignore_ascii_case(w)))
}

/// A statement's words, normalised: what [`pick`] checks examples against.
/// Hashed with foldhash: built from every word of every statement, SipHash
/// and a string per word were 3% of a many-document run.
pub type UsedWords = HashSet<String, foldhash::fast::RandomState>;

/// The statement's words, normalised, for [`pick`]; one string per
/// distinct word.
pub fn used_words<'a>(words: impl IntoIterator<Item = &'a str>) -> UsedWords {
    let words = words.into_iter();
    let mut used = UsedWords::with_capacity_and_hasher(words.size_hint().0, Default::default());
    let mut buffer = String::new();
    for word in words {
        normalise_into(word, &mut buffer);
        if !used.contains(buffer.as_str()) {
            used.insert(buffer.clone());
        }
    }
    used
}

/// The content words of `example` that the statement already uses.
pub fn repeated(example: &str, used: &UsedWords) -> Vec<String> {
    content_words(example)
        .map(normalise)
        .filter(|w| used.contains(w))
        .collect()
}

/// How many content words of `example` the statement already uses: what
/// [`repeated`] counts, without a string for each word.
fn repeats(example: &str, used: &UsedWords, buffer: &mut String) -> usize {
    content_words(example)
        .filter(|w| {
            normalise_into(w, buffer);
            used.contains(buffer.as_str())
        })
        .count()
}

/// The first example that repeats none of the statement's words, or failing
/// that the one that repeats fewest (the earliest on a tie).
pub fn pick<'e>(examples: &'e [String], used: &UsedWords) -> &'e str {
    let mut buffer = String::new();
    examples
        .iter()
        .enumerate()
        .min_by_key(|(i, e)| (repeats(e, used, &mut buffer), *i))
        .map_or("", |(_, e)| e.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn used(text: &str) -> UsedWords {
        used_words(text.split_whitespace())
    }

    /// Normalising the plain way: a lowercase copy, then an ending off.
    fn normalised_plainly(word: &str) -> String {
        let lower = word
            .trim_end_matches("'s")
            .trim_end_matches("’s")
            .to_lowercase();
        for ending in ["ing", "ies", "es", "ed", "s"] {
            if let Some(stem) = lower.strip_suffix(ending)
                && stem.chars().count() >= 3
            {
                return stem.to_string();
            }
        }
        lower
    }

    proptest::proptest! {
        #[test]
        fn normalising_into_a_buffer_is_normalising(
            words in proptest::collection::vec("[aAsSeEdDiInNgG'’ÉéKk\u{212A}İ]{0,9}", 1..6)
        ) {
            let text = words.join(" ");
            let mut buffer = String::from("left over");
            for w in &words {
                normalise_into(w, &mut buffer);
                proptest::prop_assert_eq!(&buffer, &normalised_plainly(w));
                // Frame words are ASCII, and no other character lowercases
                // to one of theirs: comparing ignoring ASCII case is exact.
                proptest::prop_assert_eq!(
                    FRAME_WORDS.iter().any(|f| f.eq_ignore_ascii_case(w)),
                    FRAME_WORDS.contains(&w.to_lowercase().as_str())
                );
            }
            let used = used(&words[0]);
            proptest::prop_assert_eq!(
                repeats(&text, &used, &mut buffer),
                repeated(&text, &used).len()
            );
        }
    }

    #[test]
    fn endings_compare_equal() {
        for w in ["reviews", "reviewed", "reviewing", "review", "Review's"] {
            assert_eq!(normalise(w), "review", "{w}");
        }
        assert_eq!(normalise("is"), "is");
        // Possessives come off however many there are, straight then curly.
        for (w, n) in [
            ("nurse's", "nurse"),
            ("nurse’s", "nurse"),
            ("x’s's's", "x"),
            ("'s", ""),
        ] {
            assert_eq!(normalise(w), n, "{w}");
            let trimmed = w.trim_end_matches("'s").trim_end_matches("’s");
            assert_eq!(strip_all(strip_all(w, "'s"), "’s"), trimmed, "{w}");
        }
    }

    #[test]
    fn the_first_example_that_repeats_nothing_is_chosen() {
        let examples = vec![
            "'each member reviews two drafts a month'".to_string(),
            "'each school hosts one visit a term'".to_string(),
        ];
        assert_eq!(
            pick(&examples, &used("Members review pull requests.")),
            examples[1]
        );
        assert_eq!(pick(&examples, &used("Members of a network.")), examples[0]);
    }

    #[test]
    fn frame_words_do_not_count_as_repeats() {
        let u = used("Each member of the network.");
        assert!(repeated("'each member reviews two drafts a month'", &u).is_empty());
    }

    #[test]
    fn when_every_example_repeats_the_fewest_repeats_win() {
        let examples = vec!["'reviews drafts'".to_string(), "'hosts drafts'".to_string()];
        assert_eq!(pick(&examples, &used("We review drafts.")), examples[1]);
    }
}
