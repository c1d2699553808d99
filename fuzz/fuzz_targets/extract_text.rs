//! Arbitrary bytes as (lossy) text through the whole extraction: every span of every
//! statement, speaker mention, link, post and warning lies inside the text, on character
//! boundaries; the report is built and serialises.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sayso_doc::{Document, Meta};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let mut doc = Document::from_text(Meta { id: "fuzz".into(), ..Meta::default() }, text.clone());
    sayso_fuzz::extract_and_check(&mut doc);
    assert_eq!(doc.text, text, "passes never change the text");
});
