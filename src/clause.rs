//! Splits a sentence into clauses: the unit most rules read.
//!
//! A clause starts at the sentence start, after `;` `:` `,` a dash or a
//! bracket, or before a connecting word: a relative pronoun (who, which,
//! that, where), a purpose link (so that, in order to, to + verb, by + -ing,
//! through) or a coordinating conjunction. `and`/`or` join noun phrases far
//! more often than clauses ("maths and science teachers"), so they only split
//! when what follows looks like a new clause: a subject (we, members, each),
//! an -ing verb, or `to`.

use unicode_segmentation::UnicodeSegmentation;

use crate::span::Span;

/// How a clause is joined to the text before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Link {
    /// The first clause of a sentence.
    Start,
    /// After `;` `:` `,`, a dash or a bracket.
    Punctuation,
    /// A coordinating conjunction: and, or, but, yet, nor.
    Coordinate,
    /// A relative pronoun: who, whom, whose, which, that, where.
    Relative,
    /// A purpose or means link: so that, in order to, to + verb, by + -ing, through.
    Purpose,
    /// The first clause of a list item.
    ListItem,
}

const BREAK_PUNCT: &[&str] = &[";", ":", ",", "—", "–", "(", ")", "[", "]"];
const ALWAYS_COORD: &[&str] = &["but", "yet", "nor"];
const SOMETIMES_COORD: &[&str] = &["and", "or"];
const RELATIVE: &[&str] = &["who", "whom", "whose", "which", "that", "where"];
const NEW_SUBJECT: &[&str] = &[
    "we",
    "they",
    "members",
    "each",
    "every",
    "you",
    "i",
    "it",
    "participants",
    "our",
    "to",
];
/// Words after `to` that show it is a preposition, not an infinitive marker.
const NOT_VERB_AFTER_TO: &[&str] = &[
    "the", "a", "an", "our", "their", "its", "his", "her", "my", "your", "this", "these", "those",
    "each", "every", "all", "any", "some", "other", "others", "one", "two", "them", "us", "you",
    "me", "him", "it", "who", "whom", "which", "what", "more", "most", "date", "day", "be",
];
/// Words before `to` after which it is a preposition ("from A to B", "access to").
const PREPOSITIONAL_TO: &[&str] = &[
    "from",
    "up",
    "due",
    "according",
    "next",
    "close",
    "access",
    "related",
    "relevant",
    "back",
    "down",
    "out",
    "open",
    "new",
    "due",
    "prior",
    "similar",
    "contributions",
    "contribute",
    "contributing",
    "contributors",
    "committed",
    "commitment",
    "dedicated",
    "devoted",
    "path",
    "pathway",
    "way",
    "ways",
    "introduction",
    "guide",
    "approach",
    "approaches",
    "key",
];

/// One clause: its span (in the text given to [`split`]) and how it is joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawClause {
    /// Where the clause lies.
    pub span: Span,
    /// How it is joined to what comes before.
    pub link: Link,
}

/// Splits `text[sentence]` into clauses. `first` is the link of the first
/// clause ([`Link::Start`], or [`Link::ListItem`] for a list item). Spans are
/// offsets into `text`, trimmed of white space and edge punctuation; a clause
/// always holds at least one word.
pub fn split(text: &str, sentence: Span, first: Link) -> Vec<RawClause> {
    let slice = &text[sentence.range()];
    let tokens: Vec<(usize, &str)> = word_bound_tokens(slice)
        .into_iter()
        .map(|(i, t)| (sentence.start + i, t))
        .collect();
    let words: Vec<usize> = (0..tokens.len())
        .filter(|&i| is_word(tokens[i].1))
        .collect();

    let mut clauses = Vec::new();
    let mut start = sentence.start;
    let mut link = first;
    let mut has_word = false;

    // The next word, lowercased, or `None`; a capitalised word (a name) is
    // returned as `"#name"` so no connector test mistakes it for a verb.
    // `words` is sorted: binary search keeps a long sentence linear overall.
    let next_word = |i: usize| -> Option<String> {
        let at = words.partition_point(|&w| w <= i);
        words.get(at).map(|&w| {
            let t = tokens[w].1;
            if t.starts_with(char::is_uppercase) {
                "#name".to_string()
            } else {
                t.to_lowercase()
            }
        })
    };
    let prev_word = |i: usize| -> Option<String> {
        let at = words.partition_point(|&w| w < i);
        at.checked_sub(1).map(|k| tokens[words[k]].1.to_lowercase())
    };

    for (i, &(offset, token)) in tokens.iter().enumerate() {
        let is_dash = token == "-"
            && tokens
                .get(i.wrapping_sub(1))
                .is_some_and(|t| t.1.trim().is_empty())
            && tokens.get(i + 1).is_some_and(|t| t.1.trim().is_empty());
        if BREAK_PUNCT.contains(&token) || is_dash {
            if has_word {
                push(&mut clauses, text, Span::new(start, offset), link);
                has_word = false;
            }
            start = offset + token.len();
            link = Link::Punctuation;
            continue;
        }
        if !is_word(token) {
            continue;
        }
        // Most words are lowercase ASCII already: no copy for them.
        let lower = if token
            .bytes()
            .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
        {
            std::borrow::Cow::Borrowed(token)
        } else {
            std::borrow::Cow::Owned(token.to_lowercase())
        };
        let new_link = connector(&lower, i, &next_word, &prev_word);
        if let Some(new_link) = new_link {
            if has_word {
                push(&mut clauses, text, Span::new(start, offset), link);
                start = offset;
                link = new_link;
                has_word = false;
                continue;
            } else if link != Link::Start && link != Link::ListItem {
                // A connector right after another boundary: keep the more telling one.
                link = new_link;
                continue;
            }
        }
        has_word = true;
    }
    if has_word {
        push(&mut clauses, text, Span::new(start, sentence.end), link);
    }
    clauses
}

/// `text` split at its UAX #29 word boundaries, with the offset of each
/// token: what `split_word_bound_indices` gives.
///
/// That iterator has no fast path for ASCII and was the costliest part of
/// reading a charter (570 instructions a token). `unicode_word_indices`
/// has one, and finds the same word tokens; in ASCII text the tokens
/// between two words are the boundaries of that gap taken alone (no rule
/// reaches across a word token there), so only the short gaps go through
/// the general iterator. Other text is split as before.
fn word_bound_tokens(text: &str) -> Vec<(usize, &str)> {
    if !text.is_ascii() {
        return text.split_word_bound_indices().collect();
    }
    fn gap<'t>(text: &'t str, tokens: &mut Vec<(usize, &'t str)>, from: usize, to: usize) {
        if from < to {
            let found = text[from..to].split_word_bound_indices();
            tokens.extend(found.map(|(i, t)| (from + i, t)));
        }
    }
    let mut tokens = Vec::new();
    let mut gap_start = 0;
    for (at, word) in text.unicode_word_indices() {
        gap(text, &mut tokens, gap_start, at);
        tokens.push((at, word));
        gap_start = at + word.len();
    }
    gap(text, &mut tokens, gap_start, text.len());
    tokens
}

fn connector(
    lower: &str,
    i: usize,
    next_word: &dyn Fn(usize) -> Option<String>,
    prev_word: &dyn Fn(usize) -> Option<String>,
) -> Option<Link> {
    if RELATIVE.contains(&lower) {
        if lower == "that" && prev_word(i).as_deref() == Some("so") {
            return None; // "so that": the split happened at "so".
        }
        return Some(Link::Relative);
    }
    if ALWAYS_COORD.contains(&lower) {
        return Some(Link::Coordinate);
    }
    if lower == "through" {
        return Some(Link::Purpose);
    }
    // Only these words look at the next one: asking for it lowercases a
    // copy, which for every word of every charter was 4% of a run's
    // allocations.
    if !matches!(lower, "so" | "in" | "by" | "to") && !SOMETIMES_COORD.contains(&lower) {
        return None;
    }
    let next = next_word(i);
    let next = next.as_deref();
    match lower {
        "so" if next == Some("that") => return Some(Link::Purpose),
        "in" if next == Some("order") => return Some(Link::Purpose),
        "by" if next.is_some_and(|n| n.ends_with("ing") && n.len() > 4) => {
            return Some(Link::Purpose);
        }
        "to" => {
            let prev = prev_word(i);
            let prev_is_order = prev.as_deref() == Some("order");
            let after_prep = prev
                .as_deref()
                .is_some_and(|p| PREPOSITIONAL_TO.contains(&p));
            let verb_like = next.is_some_and(|n| {
                n.chars().all(char::is_alphabetic)
                    && !n.ends_with("ing")
                    && !NOT_VERB_AFTER_TO.contains(&n)
            });
            if verb_like && !after_prep && !prev_is_order {
                return Some(Link::Purpose);
            }
        }
        _ => {}
    }
    if SOMETIMES_COORD.contains(&lower)
        && next.is_some_and(|n| NEW_SUBJECT.contains(&n) || (n.ends_with("ing") && n.len() > 4))
    {
        return Some(Link::Coordinate);
    }
    None
}

fn is_word(token: &str) -> bool {
    token.chars().any(char::is_alphanumeric)
}

fn push(out: &mut Vec<RawClause>, text: &str, span: Span, link: Link) {
    let slice = &text[span.range()];
    let edge =
        |c: char| c.is_whitespace() || (c.is_ascii_punctuation() && !"%$£€#&'\"".contains(c));
    let lead = slice.len() - slice.trim_start_matches(edge).len();
    let body = slice.trim_start_matches(edge).trim_end_matches(edge);
    if body.is_empty() {
        return;
    }
    let start = span.start + lead;
    out.push(RawClause {
        span: Span::new(start, start + body.len()),
        link,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The fast split gives exactly the tokens of the general one on
        /// ASCII text, whatever its mix of letters, digits, quotes, marks,
        /// white space and line ends.
        #[test]
        fn ascii_tokens_are_unicode_word_bounds(s in "[a-zA-Z0-9 _'\".,:;!?()\\-\t\r\n@#%&*/]{0,60}") {
            let general: Vec<(usize, &str)> = s.split_word_bound_indices().collect();
            proptest::prop_assert_eq!(word_bound_tokens(&s), general);
        }
    }

    fn clauses(s: &str) -> Vec<(String, Link)> {
        split(s, Span::new(0, s.len()), Link::Start)
            .into_iter()
            .map(|c| (s[c.span.range()].to_string(), c.link))
            .collect()
    }

    #[test]
    fn relative_pronoun_opens_a_clause() {
        assert_eq!(
            clauses("Connecting maths teachers who teach in schools with high pupil premium."),
            vec![
                ("Connecting maths teachers".into(), Link::Start),
                (
                    "who teach in schools with high pupil premium".into(),
                    Link::Relative
                ),
            ]
        );
    }

    #[test]
    fn punctuation_and_purpose_links_split() {
        let got = clauses(
            "We meet monthly; members share plans, so that pupils learn to read by sharing books.",
        );
        let links: Vec<Link> = got.iter().map(|c| c.1).collect();
        assert_eq!(
            links,
            vec![
                Link::Start,
                Link::Punctuation,
                Link::Purpose,
                Link::Purpose,
                Link::Purpose
            ]
        );
        assert_eq!(got[3].0, "to read");
        assert_eq!(got[4].0, "by sharing books");
    }

    #[test]
    fn noun_phrase_coordination_does_not_split() {
        assert_eq!(clauses("Maths and science teachers.").len(), 1);
        assert_eq!(clauses("We write guides and we run workshops.").len(), 2);
    }

    #[test]
    fn prepositional_to_does_not_split() {
        assert_eq!(clauses("From Leeds to Bradford.").len(), 1);
        assert_eq!(clauses("Open to the public.").len(), 1);
    }

    #[test]
    fn no_clause_without_a_word() {
        assert!(clauses(" ;,— ").is_empty());
    }
}
