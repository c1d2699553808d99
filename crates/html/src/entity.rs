//! Character references: numeric ones, and the named ones that news pages use. A name
//! not in the table stays as written.

#[rustfmt::skip]
const NAMED: &[(&str, &str)] = &[
    ("amp", "&"), ("lt", "<"), ("gt", ">"), ("quot", "\""), ("apos", "'"), ("nbsp", "\u{a0}"), ("shy", "\u{ad}"), ("ndash", "–"),
    ("mdash", "—"), ("hellip", "…"), ("lsquo", "‘"), ("rsquo", "’"), ("sbquo", "‚"), ("ldquo", "“"), ("rdquo", "”"),
    ("bdquo", "„"), ("laquo", "«"), ("raquo", "»"), ("lsaquo", "‹"), ("rsaquo", "›"), ("prime", "′"), ("Prime", "″"),
    ("bull", "•"), ("middot", "·"), ("copy", "©"), ("reg", "®"), ("trade", "™"), ("deg", "°"), ("euro", "€"), ("pound", "£"),
    ("yen", "¥"), ("cent", "¢"), ("para", "¶"), ("times", "×"), ("divide", "÷"), ("plusmn", "±"), ("frac12", "½"),
    ("frac14", "¼"), ("frac34", "¾"), ("sup3", "³"), ("zwnj", "\u{200c}"), ("zwj", "\u{200d}"), ("lrm", "\u{200e}"),
    ("rlm", "\u{200f}"), ("thinsp", "\u{2009}"), ("ensp", "\u{2002}"), ("emsp", "\u{2003}"), ("iexcl", "¡"), ("iquest", "¿"),
    ("ordf", "ª"), ("ordm", "º"), ("acute", "´"), ("micro", "µ"), ("dagger", "†"), ("Dagger", "‡"), ("permil", "‰"),
    ("larr", "←"), ("rarr", "→"), ("uarr", "↑"), ("minus", "−"), ("szlig", "ß"), ("AElig", "Æ"), ("aelig", "æ"), ("OElig", "Œ"),
    ("oelig", "œ"), ("Oslash", "Ø"), ("Aring", "Å"), ("aring", "å"), ("ETH", "Ð"), ("eth", "ð"), ("THORN", "Þ"), ("thorn", "þ"),
    ("Scaron", "Š"), ("Zcaron", "Ž"), ("zcaron", "ž"), ("Yuml", "Ÿ"), ("yuml", "ÿ"), ("Ntilde", "Ñ"), ("ntilde", "ñ"),
    ("Ccedil", "Ç"), ("ccedil", "ç"), ("iuml", "ï"),
    ("sect", "§"), ("sup2", "²"), ("darr", "↓"), ("oslash", "ø"), ("scaron", "š"),
];

/// Vowels that take the accents below: `&eacute;`, `&Agrave;`, `&ouml;` …
const ACCENTS: &[(&str, &str, &str)] = &[
    ("acute", "ÁÉÍÓÚÝ", "áéíóúý"),
    ("grave", "ÀÈÌÒÙ", "àèìòù"),
    ("circ", "ÂÊÎÔÛ", "âêîôû"),
    ("uml", "ÄËÏÖÜ", "äëïöü"),
    ("tilde", "ÃÑÕ", "ãñõ"),
];

fn named(name: &str) -> Option<char> {
    if let Some(&(_, v)) = NAMED.iter().find(|(n, _)| *n == name) {
        return v.chars().next();
    }
    for (suffix, upper, lower) in ACCENTS {
        let Some(base) = name.strip_suffix(suffix) else { continue };
        let mut b = base.chars();
        let (Some(c), None) = (b.next(), b.next()) else { continue };
        let bases_u: &[char] = match *suffix {
            "tilde" => &['A', 'N', 'O'],
            "grave" | "circ" => &['A', 'E', 'I', 'O', 'U'],
            "uml" => &['A', 'E', 'I', 'O', 'U'],
            _ => &['A', 'E', 'I', 'O', 'U', 'Y'],
        };
        let k = bases_u.iter().position(|&u| u == c.to_ascii_uppercase())?;
        let set = if c.is_ascii_uppercase() { upper } else { lower };
        return set.chars().nth(k);
    }
    None
}

/// The character a reference starting at `s[0] == '&'` stands for, and its length.
pub fn reference(s: &str) -> Option<(char, usize)> {
    let b = s.as_bytes();
    if b.len() < 3 {
        return None;
    }
    if b[1] == b'#' {
        let (hex, from) = if matches!(b.get(2), Some(b'x' | b'X')) { (true, 3) } else { (false, 2) };
        let mut j = from;
        while j < b.len() && (if hex { b[j].is_ascii_hexdigit() } else { b[j].is_ascii_digit() }) {
            j += 1;
        }
        if j == from {
            return None;
        }
        let n = u32::from_str_radix(&s[from..j], if hex { 16 } else { 10 }).unwrap_or(0);
        // Windows-1252 code points that pages write as if they were Unicode.
        let c = match n {
            0x91 => '‘',
            0x92 => '’',
            0x93 => '“',
            0x94 => '”',
            0x96 => '–',
            0x97 => '—',
            0 => '\u{fffd}',
            _ => char::from_u32(n).unwrap_or('\u{fffd}'),
        };
        let len = if b.get(j) == Some(&b';') { j + 1 } else { j };
        return Some((c, len));
    }
    let mut j = 1;
    while j < b.len() && j < 10 && b[j].is_ascii_alphanumeric() {
        j += 1;
    }
    let c = named(&s[1..j])?;
    let len = if b.get(j) == Some(&b';') { j + 1 } else { j };
    Some((c, len))
}

/// Decodes every reference in `s`.
pub fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(k) = rest.find('&') {
        out.push_str(&rest[..k]);
        rest = &rest[k..];
        match reference(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_references() {
        assert_eq!(
            decode("Tom &amp; Jerry &#8220;hi&#x201D; caf&eacute; &Ouml;l &bogus; a&b &#150;"),
            "Tom & Jerry “hi” café Öl &bogus; a&b –"
        );
        assert_eq!(decode("&#146;"), "’");
        assert_eq!(decode("&"), "&");
        assert_eq!(decode("&#99999999999;"), "\u{fffd}");
    }
}
