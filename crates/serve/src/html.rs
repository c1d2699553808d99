//! HTML from hostile text: everything from an article or a request is escaped, and a URL
//! becomes a link only when it is http(s).

/// Text for an element's content or a quoted attribute: `& < > " '` escaped.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The same escaping, named for attribute values (always written in double quotes).
pub fn attr(s: &str) -> String {
    esc(s)
}

/// A URL that may be a link: `http://` or `https://` with a host, nothing else
/// (`javascript:`, `data:`, relative paths and control characters are not).
pub fn safe_url(u: &str) -> Option<&str> {
    let u = u.trim();
    let lower = u.get(..8).unwrap_or(u).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &u[8..]
    } else if lower.starts_with("http://") {
        &u[7..]
    } else {
        return None;
    };
    (!rest.is_empty() && !u.chars().any(|c| c.is_control() || c.is_whitespace())).then_some(u)
}

/// A link to an outside page, or the URL as text when it may not be one.
pub fn outside_link(u: &str, label: &str) -> String {
    match safe_url(u) {
        Some(u) => format!("<a href=\"{}\" rel=\"noopener noreferrer nofollow\">{}</a>", attr(u), esc(label)),
        None => esc(label),
    }
}

/// Percent-encodes a query parameter's value.
pub fn url_param(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A whole page: the layout, the style sheet and the script, both from this server.
pub fn page(title: &str, main: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · sayso</title><link rel=\"stylesheet\" href=\"/assets/style.css\">\
         <script src=\"/assets/app.js\" defer></script></head>\n<body>\
         <a class=\"skip\" href=\"#main\">Skip to content</a>\
         <header><nav><a class=\"brand\" href=\"/\">sayso</a> <a href=\"/search\">Search</a> <a href=\"/paste\">Paste</a></nav>\
         <form class=\"quick\" action=\"/search\" method=\"get\" role=\"search\"><label for=\"quick-q\" class=\"vh\">Search statements</label>\
         <input id=\"quick-q\" name=\"q\" type=\"search\" placeholder=\"Search what was said\" maxlength=\"500\"></form></header>\n\
         <main id=\"main\">{main}</main></body></html>\n",
        esc(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(esc(r#"<script>"a" & 'b'</textarea>"#), "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/textarea&gt;");
    }

    #[test]
    fn only_http_urls_are_links() {
        assert_eq!(safe_url("https://example.org/a?b=1"), Some("https://example.org/a?b=1"));
        assert_eq!(safe_url(" HTTP://example.org "), Some("HTTP://example.org"));
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,x",
            "//evil.org",
            "/local",
            "http://",
            "https://a b",
            "http://a\u{0}b",
        ] {
            assert_eq!(safe_url(bad), None, "{bad}");
        }
        assert_eq!(outside_link("javascript:alert(1)", "<x>"), "&lt;x&gt;");
    }
}
