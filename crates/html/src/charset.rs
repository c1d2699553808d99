//! Bytes to text: BOM, then the charset the HTTP header declares, then the page's own
//! `<meta charset>`, then UTF-8 if the bytes are UTF-8 but for a few stray bytes, then
//! detection. Bytes that do not decode become U+FFFD with a warning. The alignment maps
//! text back to the bytes.

use encoding_rs::{Encoding, UTF_8};
use sayso_doc::Alignment;

pub struct Decoded {
    pub text: String,
    pub alignment: Alignment,
    pub encoding: &'static str,
    pub warning: Option<String>,
}

/// `charset=` in a Content-Type value or a `<meta>` tag.
pub fn charset_param(s: &str) -> Option<&'static Encoding> {
    let lower = s.to_ascii_lowercase();
    let at = lower.find("charset")? + 7;
    let rest = lower[at..].trim_start().strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || "-_.:".contains(c))).unwrap_or(rest.len());
    Encoding::for_label(&rest.as_bytes()[..end])
}

/// The charset a page declares in its first 4 KB (`<meta charset>` or http-equiv).
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(k) = lower[from..].find("<meta") {
        let at = from + k;
        let end = lower[at..].find('>').map_or(lower.len(), |e| at + e);
        if let Some(enc) = charset_param(&lower[at..end]) {
            // A page that is really UTF-16 cannot say so in ASCII: the declaration means UTF-8.
            return Some(if enc.name().starts_with("UTF-16") { UTF_8 } else { enc });
        }
        from = end;
    }
    None
}

pub fn decode(bytes: &[u8], declared: Option<&str>) -> Decoded {
    let (bom, bom_len) = match Encoding::for_bom(bytes) {
        Some((e, n)) => (Some(e), n),
        None => (None, 0),
    };
    let mut guessed = false;
    let enc = bom.or_else(|| declared.and_then(charset_param)).or_else(|| meta_charset(bytes)).unwrap_or_else(|| {
        if mostly_utf8(bytes) {
            UTF_8
        } else {
            guessed = true;
            let mut det = chardetng::EncodingDetector::new();
            det.feed(&bytes[..bytes.len().min(64 << 10)], bytes.len() <= 64 << 10);
            det.guess(None, true)
        }
    });
    // A page declared legacy whose bytes are valid UTF-8 with non-ASCII in them is UTF-8
    // (servers and templates often keep an old declaration); the reverse is vanishingly rare.
    let enc = if enc != UTF_8 && bom.is_none() && enc.is_ascii_compatible() && !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok() {
        UTF_8
    } else {
        enc
    };
    let body = &bytes[bom_len..];
    let (text, alignment, bad) = if enc == UTF_8 { utf8(body, bom_len) } else { legacy(enc, body, bom_len) };
    let warning = if bad > 0 {
        Some(format!("{bad} byte sequence(s) not valid {} replaced with U+FFFD", enc.name()))
    } else {
        guessed.then(|| format!("not UTF-8 and no charset declared: decoded as {} (detected)", enc.name()))
    };
    Decoded { text, alignment, encoding: enc.name(), warning }
}

/// Valid UTF-8, or UTF-8 but for a few stray bytes: more valid multi-byte characters than
/// invalid sequences. Text in a legacy encoding has hardly any valid multi-byte sequence.
fn mostly_utf8(bytes: &[u8]) -> bool {
    if std::str::from_utf8(bytes).is_ok() {
        return true;
    }
    let (mut valid, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += !chunk.invalid().is_empty() as usize;
    }
    invalid == 0 || valid > invalid
}

fn utf8(body: &[u8], offset: usize) -> (String, Alignment, usize) {
    let mut align = Alignment::builder();
    // Most pages are valid, and validating them whole is much faster than by chunks.
    if let Ok(text) = std::str::from_utf8(body) {
        align.push(0, offset);
        align.push(text.len(), offset + text.len());
        return (text.to_string(), align.finish(text.len()), 0);
    }
    let mut text = String::with_capacity(body.len());
    let mut bad = 0;
    let mut src = offset;
    for chunk in body.utf8_chunks() {
        align.push(text.len(), src);
        text.push_str(chunk.valid());
        src += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            align.push(text.len(), src);
            text.push(char::REPLACEMENT_CHARACTER);
            src += chunk.invalid().len();
            bad += 1;
        }
    }
    let len = text.len();
    // The end of the text is the end of the bytes (a U+FFFD last is longer than its byte).
    align.push(len, src);
    (text, align.finish(len), bad)
}

/// Decodes a legacy encoding (or UTF-16) piece by piece: each run of ASCII bytes, and each
/// other byte, gets an alignment point, so offsets stay exact to the character. A byte the
/// decoder holds (the lead of a multi-byte character, the first of a UTF-16 unit) gives no
/// text: the character it starts is aligned to it once its last byte comes, and until then
/// the bytes go in one at a time, ASCII too (Shift_JIS and GBK trail bytes, GB18030's
/// digits, can be ASCII). Encodings that are not ASCII-compatible go byte by byte.
fn legacy(enc: &'static Encoding, body: &[u8], offset: usize) -> (String, Alignment, usize) {
    let mut dec = enc.new_decoder_without_bom_handling();
    let mut align = Alignment::builder();
    let mut text = String::with_capacity(body.len() + body.len() / 2);
    let mut bad = 0;
    let mut i = 0;
    // Where the bytes the decoder holds, not yet text, start.
    let mut held: Option<usize> = None;
    let ascii_compatible = enc.is_ascii_compatible();
    while i < body.len() {
        let end = if ascii_compatible && body[i] < 0x80 && held.is_none() {
            i + body[i..].iter().position(|&b| b >= 0x80).unwrap_or(body.len() - i)
        } else {
            i + 1
        };
        let before = text.len();
        let last = end == body.len();
        text.reserve(dec.max_utf8_buffer_length(end - i).unwrap_or(4 * (end - i)) + 4);
        let (_, _, had_errors) = dec.decode_to_string(&body[i..end], &mut text, last);
        bad += had_errors as usize;
        if text.len() > before {
            let from = held.take().unwrap_or(i);
            align.push(before, offset + from);
            if end == i + 1 && text[before..].chars().nth(1).is_some() {
                // One byte in, several characters out: held bytes that make no character.
                // U+FFFD for them, then the ASCII bytes among them the decoder gave back
                // (GB18030 "\xb3\x33\x3c" is U+FFFD "3<"), each at its own byte; the
                // others within the held bytes.
                let out = &text.as_bytes()[before..];
                let back = (1..end - from)
                    .take_while(|&k| ascii_compatible && k < out.len() && out[out.len() - k] < 0x80 && out[out.len() - k] == body[end - k])
                    .last()
                    .unwrap_or(0);
                for (j, _) in text[before..text.len() - back].char_indices().skip(1) {
                    align.push(before + j, offset + (from + j).min(end - back - 1));
                }
                if back > 0 {
                    align.push(text.len() - back, offset + end - back);
                }
            }
        } else if held.is_none() {
            held = Some(i);
        }
        i = end;
    }
    let len = text.len();
    // The end of the text is the end of the bytes, however long the last character.
    align.push(len, offset + body.len());
    (text, align.finish(len), bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_meta_and_detected_charsets() {
        let page = b"<meta charset=\"windows-1252\"><p>caf\xe9 \x93ok\x94</p>";
        let d = decode(page, None);
        assert_eq!(d.encoding, "windows-1252");
        assert!(d.text.ends_with("<p>café “ok”</p>"));
        let e = d.text.find('é').unwrap();
        assert_eq!(d.alignment.to_source(e), 35);
        assert_eq!(d.alignment.to_source(e + 2), 36);
        assert_eq!(decode(b"\xe9t\xe9", Some("text/html; charset=ISO-8859-1")).text, "été");
        assert_eq!(decode("plain ünïcode".as_bytes(), None).encoding, "UTF-8");
        let bad = decode(b"ok \xff\xfe\xfd", Some("text/html; charset=utf-8"));
        assert!(bad.warning.is_some());
    }

    #[test]
    fn a_stray_byte_in_utf8_is_replaced_not_a_reason_to_guess() {
        let short = "“We will not,” she said, and left.".to_string();
        let long = "<p>Der Bürgermeister sagte: „Die Brücke bleibt zu.“ Кто-то спросил «почему».</p>\n".repeat(300);
        for text in [short, long] {
            let at = (text.len() / 2..).find(|&i| text.is_char_boundary(i)).unwrap();
            let mut bytes = text.into_bytes();
            bytes.insert(at, 0x97);
            let d = decode(&bytes, None);
            assert_eq!(d.encoding, "UTF-8");
            assert_eq!(d.text.matches('\u{fffd}').count(), 1);
            assert!(!d.text.contains('â'), "{}", d.text);
            assert!(d.warning.as_deref().is_some_and(|w| w.contains("not valid UTF-8")), "{:?}", d.warning);
        }
        // Text in a legacy encoding is still detected.
        assert_eq!(decode(b"caf\xe9 au lait, cr\xe8me br\xfbl\xe9e, \x93tr\xe8s bien\x94", None).encoding, "windows-1252");
    }

    /// Found by the `charset` fuzz target: a Shift_JIS lead byte followed by an ASCII trail
    /// byte ("\x83\x41" is ア) mapped the text past the end of the bytes, and each
    /// two-byte character to its second byte; a last character longer in the text than in
    /// the bytes mapped the text's end past the bytes' end.
    #[test]
    fn multi_byte_characters_with_ascii_trail_bytes_stay_aligned() {
        let bytes = b"\x82\xa0\x82\xa2 abc \x83\x41";
        let d = decode(bytes, Some("text/html; charset=shift_jis"));
        assert_eq!(d.text, "あい abc ア");
        let src = |c: char| d.alignment.to_source(d.text.find(c).unwrap());
        assert_eq!((src('あ'), src('い'), src('a'), src('ア')), (0, 2, 5, 9));
        assert_eq!(d.alignment.to_source(d.text.len()), bytes.len());
        // GB18030 four-byte characters have ASCII digits in them: 0x81 0x30 0x81 0x30 is U+0080.
        let gb = decode(b"x\x81\x30\x81\x30y", Some("text/html; charset=gb18030"));
        assert_eq!(gb.text, "x\u{80}y");
        assert_eq!((gb.alignment.to_source(1), gb.alignment.to_source(3), gb.alignment.to_source(4)), (1, 5, 6));
        // UTF-16 is aligned character by character (it was one piece: its text ran past the
        // bytes), a surrogate pair to its first byte.
        let u16 = decode(b"\xff\xfeh\x00\xe9\x00\x3d\xd8\x00\xdei\x00", None);
        assert_eq!(u16.text, "hé😀i");
        let at = |i: usize| u16.alignment.to_source(i);
        assert_eq!((at(0), at(1), at(3), at(7), at(8)), (2, 4, 6, 10, 12));
        let odd = decode(b"\xff\xfeh\xff\x00\xb3\xb3\xb3\xb3i\x00", None);
        assert!(odd.text.char_indices().all(|(i, _)| odd.alignment.to_source(i) < 11), "{:?}", odd.text);
        // Found next: GB18030 bytes that begin a four-byte character and end it early give
        // U+FFFD and the ASCII bytes back; those were aligned before the U+FFFD's bytes.
        let gb_cut = decode(b"<me\xb3\x33\x3c", Some("text/html; charset=gb18030"));
        assert_eq!(gb_cut.text, "<me\u{fffd}3<");
        let at = |i: usize| gb_cut.alignment.to_source(i);
        assert_eq!((at(3), at(6), at(7), at(8)), (3, 4, 5, 6));
        // Whatever the bytes, every character maps inside them, in order (UTF-16BE with a
        // run of unpaired high surrogates mapped past the end).
        let inputs: [(&[u8], &str); 3] = [
            (b"3\xb3\xdb\xdb\xdb\xdb\xdb\xdb\xdb\xdb\xdb\xdb\xdb\xdb\xdb\xdb\xdb\xb3\x05\x00", "utf-16be"),
            (b"\x00\xff<me\xb33<m\x93\xb3\xb3i\x00", "gb18030"),
            (b"\x82\xa0\x82\xa2 abc \x83\x41\x83", "shift_jis"),
        ];
        for (bytes, charset) in inputs {
            let d = decode(bytes, Some(&format!("text/html; charset={charset}")));
            let at: Vec<usize> =
                d.text.char_indices().map(|(i, _)| d.alignment.to_source(i)).chain([d.alignment.to_source(d.text.len())]).collect();
            assert!(at.windows(2).all(|w| w[0] <= w[1]) && at.iter().all(|&s| s <= bytes.len()), "{charset}: {at:?}");
        }
        // A lead byte whose trail cannot be one: U+FFFD, then the ASCII byte where it stands.
        let cut = decode(b"\x83 b", Some("text/html; charset=shift_jis"));
        assert_eq!(cut.text, "\u{fffd} b");
        assert_eq!((cut.alignment.to_source(3), cut.alignment.to_source(4), cut.alignment.to_source(5)), (1, 2, 3));
        // UTF-8 with an invalid byte last: the text's end is the bytes' end.
        let end = decode(b"ok \xff", Some("text/html; charset=utf-8"));
        assert_eq!((end.text.len(), end.alignment.to_source_end(end.text.len())), (6, 4));
    }

    #[test]
    fn bom_wins() {
        let d = decode(b"\xEF\xBB\xBF<p>x</p>", Some("text/html; charset=iso-8859-1"));
        assert_eq!((d.encoding, d.text.as_str()), ("UTF-8", "<p>x</p>"));
        assert_eq!(d.alignment.to_source(0), 3);
    }
}
