//! A `purpose` key in a Markdown file's front matter is the statement:
//! many static-site charters keep it there.
//!
//! TOML front matter (`+++`) is parsed with the `toml` crate, whose spans
//! locate the value. For YAML (`---`) only the top-level `purpose` key is
//! read, line by line: a plain or quoted scalar on its line, or a block
//! scalar (`|` or `>`) on the indented lines below. Other YAML constructs
//! (anchors, flow mappings, multi-line plain scalars) are not read; the
//! document is then linted by its purpose section as usual.

use crate::prose::{BlockKind, Prose};
use crate::span::Span;

/// The purpose prose from front matter, if the document has any.
pub fn purpose(text: &str) -> Option<Prose> {
    let (fence, body_start) = if let Some(rest) = text.strip_prefix("---") {
        ("---", text.len() - rest.len())
    } else if let Some(rest) = text.strip_prefix("+++") {
        ("+++", text.len() - rest.len())
    } else {
        return None;
    };
    // The opening fence must end its line.
    let first_nl = text[body_start..].find('\n')? + body_start;
    if !text[body_start..first_nl].trim().is_empty() {
        return None;
    }
    let start = first_nl + 1;
    let end = find_closing(text, start, fence)?;
    if fence == "+++" {
        toml_purpose(text, start, end)
    } else {
        yaml_purpose(text, start, end)
    }
}

/// The offset of the closing fence line.
fn find_closing(text: &str, from: usize, fence: &str) -> Option<usize> {
    let mut at = from;
    for line in text[from..].split_inclusive('\n') {
        if line.trim_end() == fence {
            return Some(at);
        }
        at += line.len();
    }
    None
}

fn toml_purpose(text: &str, start: usize, end: usize) -> Option<Prose> {
    #[derive(serde::Deserialize)]
    struct Front {
        purpose: Option<toml::Spanned<String>>,
    }
    let front: Front = toml::from_str(&text[start..end]).ok()?;
    let value = front.purpose?;
    let span = value.span();
    let raw = &text[start + span.start..start + span.end];
    let mut prose = Prose::new();
    prose.start_block(BlockKind::Paragraph);
    // A basic or literal string whose text is its source maps exactly.
    let inner = raw
        .trim_start_matches(['"', '\''])
        .trim_end_matches(['"', '\'']);
    let at = start + span.start + (raw.len() - raw.trim_start_matches(['"', '\'']).len());
    if inner == value.get_ref() {
        prose.push(value.get_ref(), Span::new(at, at + inner.len()));
    } else {
        prose.push(
            value.get_ref(),
            Span::new(start + span.start, start + span.end),
        );
    }
    Some(prose.finish())
}

fn yaml_purpose(text: &str, start: usize, end: usize) -> Option<Prose> {
    let mut lines = Vec::new();
    let mut at = start;
    for line in text[start..end].split_inclusive('\n') {
        lines.push((at, line.trim_end_matches(['\n', '\r'])));
        at += line.len();
    }
    let (i, (line_at, line)) = lines
        .iter()
        .enumerate()
        .find(|(_, (_, l))| l.starts_with("purpose:"))?;
    let after = &line["purpose:".len()..];
    let value = after.trim();
    let value_at = line_at + "purpose:".len() + (after.len() - after.trim_start().len());
    let mut prose = Prose::new();
    prose.start_block(BlockKind::Paragraph);
    if value.starts_with('|') || value.starts_with('>') {
        for (l_at, l) in lines.iter().skip(i + 1) {
            if !l.is_empty() && !l.starts_with([' ', '\t']) {
                break;
            }
            let content = l.trim();
            if content.is_empty() {
                prose.start_block(BlockKind::Paragraph);
                continue;
            }
            let lead = l.len() - l.trim_start().len();
            if prose.in_block() {
                prose.push_space(Span::new(l_at + lead, l_at + lead));
            }
            prose.push(content, Span::new(l_at + lead, l_at + lead + content.len()));
        }
    } else {
        let quoted = (value.starts_with('"') && value.ends_with('"') && value.len() >= 2)
            || (value.starts_with('\'') && value.ends_with('\'') && value.len() >= 2);
        let (inner, inner_at) = if quoted {
            (&value[1..value.len() - 1], value_at + 1)
        } else {
            (value, value_at)
        };
        if inner.trim().is_empty() {
            return None;
        }
        prose.push(inner, Span::new(inner_at, inner_at + inner.len()));
    }
    let prose = prose.finish();
    (!prose.blocks().is_empty()).then_some(prose)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &str) {
        let p = purpose(text).expect("a purpose");
        assert_eq!(p.text(), expected);
        let at = p.text().find("nurses").unwrap();
        let orig = p.to_original(Span::new(at, at + 6));
        assert_eq!(&text[orig.range()], "nurses");
    }

    #[test]
    fn yaml_plain_quoted_and_block() {
        check(
            "---\ntitle: x\npurpose: For nurses in Leeds.\n---\n# T\n",
            "For nurses in Leeds.",
        );
        check(
            "---\npurpose: \"For nurses in Leeds.\"\n---\n",
            "For nurses in Leeds.",
        );
        check(
            "---\npurpose: >\n  For nurses\n  in Leeds.\nother: 1\n---\n",
            "For nurses in Leeds.",
        );
    }

    #[test]
    fn toml_front_matter() {
        check(
            "+++\ntitle = \"x\"\npurpose = \"For nurses in Leeds.\"\n+++\n",
            "For nurses in Leeds.",
        );
    }

    #[test]
    fn no_key_no_purpose() {
        assert!(purpose("---\ntitle: x\n---\n# T\n").is_none());
        assert!(purpose("# T\n").is_none());
    }
}
