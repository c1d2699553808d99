//! Publication dates as ISO 8601, whatever form the source wrote them in: every reader
//! (JSONL, pages, feeds) and the store go through [`iso_date`], so `--since` compares like
//! with like.

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
/// How month names start in German, French, Spanish, Italian, Portuguese and Dutch where
/// English's three letters do not tell them ("18 de noviembre", "14. Juni" need none).
/// Four letters where three are an English word ("set", "out").
#[rustfmt::skip]
const OTHER_MONTHS: &[(&str, u32)] = &[
    ("ene", 1), ("genn", 1), ("jän", 1), ("fév", 2), ("fev", 2), ("mär", 3), ("maa", 3), ("abr", 4), ("avr", 4),
    ("mai", 5), ("magg", 5), ("mei", 5), ("juin", 6), ("giu", 6), ("juil", 7), ("lug", 7), ("ago", 8), ("aoû", 8),
    ("sett", 9), ("okt", 10), ("otto", 10), ("outu", 10), ("dez", 12), ("dic", 12), ("déc", 12),
];

/// Whether the day exists in the Gregorian calendar (no 2025-02-30).
pub fn valid_day(y: u32, m: u32, d: u32) -> bool {
    let leap = y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400));
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// A UTC time from seconds since 1970 as `2025-06-03T10:00:00Z` (with `.mmm` when `millis`
/// is not 0).
pub fn iso_from_epoch(secs: i64, millis: u32) -> String {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let frac = if millis == 0 { String::new() } else { format!(".{millis:03}") };
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}{frac}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// A date as ISO 8601, or None when no real day can be read from it. Kept as written when it
/// already is ISO (`2024-05-03T10:00:00Z`, a real day; `2022-5-3` gets its zeros); epoch seconds or milliseconds become
/// a UTC time; otherwise the day of RFC 2822 (`Tue, 10 Dec 2024 10:00:00 GMT`), `Fri Apr 28
/// 19:20:36 CEST 2023`, `June 3, 2025`, `3 June 2025`, `28.04.2023`, `2023/04/28`. A numeric
/// date is read day first unless that cannot be (`04/28/2023`).
pub fn iso_date(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    if !b.is_empty() && b.iter().all(u8::is_ascii_digit) {
        return epoch_or_compact(s);
    }
    if let Some((y, m, d, rest)) = iso_prefix(s) {
        // Year 1 (.NET's empty date) and the like are placeholders, never a day.
        if !valid_day(y, m, d) || y < 1000 {
            return None;
        }
        let day = format!("{y:04}-{m:02}-{d:02}");
        let r = rest.as_bytes();
        let time = r.len() >= 6 && matches!(r[0], b'T' | b' ') && r[1..3].iter().all(u8::is_ascii_digit) && r[3] == b':';
        return Some(if time { format!("{day}{rest}") } else { day });
    }
    words_date(s)
}

/// `2024-05-03…` or `2022-5-3…`: year, month and day, and what follows them.
fn iso_prefix(s: &str) -> Option<(u32, u32, u32, &str)> {
    let mut parts = s.splitn(3, '-');
    let (y, m, rest) = (parts.next()?, parts.next()?, parts.next()?);
    let d = &rest[..rest.bytes().take_while(u8::is_ascii_digit).count()];
    let num =
        |p: &str, lens: &[usize]| (lens.contains(&p.len()) && p.bytes().all(|c| c.is_ascii_digit())).then(|| p.parse().ok()).flatten();
    Some((num(y, &[4])?, num(m, &[1, 2])?, num(d, &[1, 2])?, &rest[d.len()..]))
}

/// All digits: epoch seconds (9–10 digits), epoch milliseconds (12–13) or `20250603`.
fn epoch_or_compact(s: &str) -> Option<String> {
    let n: i64 = s.parse().ok()?;
    match s.len() {
        8 => {
            let (y, m, d) = ((n / 10_000) as u32, (n / 100 % 100) as u32, (n % 100) as u32);
            valid_day(y, m, d).then(|| format!("{y:04}-{m:02}-{d:02}"))
        }
        9 | 10 => Some(iso_from_epoch(n, 0)),
        12 | 13 => Some(iso_from_epoch(n / 1000, (n % 1000) as u32)),
        _ => None,
    }
}

/// A date written with words or separators: a year, a month (a name or a number) and a day.
fn words_date(s: &str) -> Option<String> {
    let words: Vec<&str> = s.split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | '/' | '-')).filter(|w| !w.is_empty()).collect();
    let num = |w: &str| w.parse::<u32>().ok();
    let month = |w: &str| {
        let w = w.to_lowercase();
        MONTHS
            .iter()
            .position(|m| w.starts_with(m))
            .map(|i| i as u32 + 1)
            .or_else(|| OTHER_MONTHS.iter().find(|(p, _)| w.starts_with(p) && w.chars().all(char::is_alphabetic)).map(|&(_, m)| m))
    };
    let (mut y, mut m, mut d) = (None, None, None);
    // "2023/04/28": a date that starts with its year gives the month before the day.
    if words.first().is_some_and(|w| w.len() == 4 && num(w).is_some()) {
        if let [yy, mm, dd] = words.iter().take(3).filter_map(|w| num(w)).collect::<Vec<_>>()[..] {
            (y, m, d) = (Some(yy), Some(mm), Some(dd));
        }
    }
    let year_first = y.is_some();
    let mut month_named = false;
    for w in words.iter().filter(|_| !year_first) {
        match (num(w), month(w)) {
            (Some(n), _) if (1000..3000).contains(&n) && w.len() == 4 => y = y.or(Some(n)),
            (Some(n), _) if (1..=31).contains(&n) && w.len() <= 2 => {
                if d.is_none() {
                    d = Some(n);
                } else if m.is_none() {
                    m = Some(n);
                }
            }
            (None, Some(mo)) if m.is_none() => {
                m = Some(mo);
                month_named = true;
            }
            _ => {}
        }
    }
    let (y, mut m, mut d) = (y?, m?, d?);
    if !month_named && m > 12 && d <= 12 {
        // Month first, as in the US ("04/28/2023").
        (m, d) = (d, m);
    }
    valid_day(y, m, d).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_iso() {
        for (raw, iso) in [
            ("2024-05-03T10:00:00Z", "2024-05-03T10:00:00Z"),
            ("2024-05-03", "2024-05-03"),
            ("2024-05-03 rubbish", "2024-05-03"),
            ("2023-1-26", "2023-01-26"),
            ("2022-5-5 22:17:36", "2022-05-05 22:17:36"),
            ("2022-5-3T23:57:00", "2022-05-03T23:57:00"),
            ("Tue, 10 Dec 2024 10:00:00 GMT", "2024-12-10"),
            ("Tue, 03 Jun 2025 08:15:00 +0200", "2025-06-03"),
            ("Fri Apr 28 19:20:36 CEST 2023", "2023-04-28"),
            ("June 3, 2025", "2025-06-03"),
            ("3 June 2025", "2025-06-03"),
            ("28.04.2023", "2023-04-28"),
            ("01-11-2023 10:29", "2023-11-01"),
            ("Fri Apr 28 19:20:36 -0700 2023", "2023-04-28"),
            ("04/28/2023", "2023-04-28"),
            ("2023/04/28", "2023-04-28"),
            ("2025/06/03", "2025-06-03"),
            ("20250603", "2025-06-03"),
            ("1748944800", "2025-06-03T10:00:00Z"),
            ("1748944800123", "2025-06-03T10:00:00.123Z"),
            ("2024-02-29", "2024-02-29"),
            ("18 de noviembre de 2019", "2019-11-18"),
            ("18. November 2019", "2019-11-18"),
            ("23. Okt 2017", "2017-10-23"),
            ("14 juillet 2020", "2020-07-14"),
            ("3 maggio 2021", "2021-05-03"),
            ("5 de março de 2022", "2022-03-05"),
        ] {
            assert_eq!(iso_date(raw).as_deref(), Some(iso), "{raw}");
        }
        for bad in [
            "yesterday",
            "Mo-Su 08:00-20:00",
            "PT15M",
            "2025-13-45",
            "2025-02-30",
            "2023-02-29",
            "31.02.2024",
            "12345",
            "",
            "2024",
            "0001-01-01T00:00:00Z",
        ] {
            assert_eq!(iso_date(bad), None, "{bad}");
        }
        assert_eq!(iso_date("Stück Maße eröffnet 2024"), None); // words cut inside a character once panicked
                                                                // What it gives is read back as itself.
        for raw in ["June 3, 2025", "1748944800123", "2024-05-03T10:00:00Z"] {
            let iso = iso_date(raw).unwrap();
            assert_eq!(iso_date(&iso).as_deref(), Some(iso.as_str()));
        }
    }

    #[test]
    fn calendar_days() {
        assert!(valid_day(2000, 2, 29) && !valid_day(1900, 2, 29) && valid_day(2024, 12, 31));
        assert!(!valid_day(2024, 4, 31) && !valid_day(2024, 0, 1) && !valid_day(2024, 1, 0));
    }
}
