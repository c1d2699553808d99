//! Decoding: the alignment is monotone and maps inside the input; valid UTF-8 without a
//! BOM or a declaration decodes to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;

const DECLARED: &[Option<&str>] = &[
    None,
    Some("text/html; charset=utf-8"),
    Some("text/html; charset=windows-1252"),
    Some("text/html; charset=shift_jis"),
    Some("text/html; charset=euc-kr"),
    Some("text/html; charset=gb18030"),
    Some("text/html; charset=iso-2022-jp"),
    Some("text/html; charset=utf-16le"),
    Some("text/html; charset=utf-16be"),
    Some("text/html; charset=koi8-r"),
    Some("text/html; charset=big5"),
    Some("text/html; charset=x-user-defined"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, bytes)) = data.split_first() else { return };
    let declared = DECLARED[sel as usize % DECLARED.len()];
    let d = sayso_html::charset::decode(bytes, declared);
    sayso_fuzz::check_alignment(&d.text, &d.alignment, bytes.len(), "decoded");
    if declared.is_none() && !bytes.starts_with(b"\xEF\xBB\xBF") && !bytes.starts_with(b"\xFF\xFE") && !bytes.starts_with(b"\xFE\xFF") {
        if let Ok(s) = std::str::from_utf8(bytes) {
            if !s.to_ascii_lowercase().contains("charset") {
                assert_eq!(d.text, s, "valid UTF-8 decodes to itself");
            }
        }
    }
});
