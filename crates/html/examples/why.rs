// Temporary debugging aid: where a snippet sits in the page, and what is skipped around it.
use sayso_html::dom::{Dom, NodeKind};
fn main() {
    let p = std::env::args().nth(1).unwrap();
    let needle = std::env::args().nth(2).unwrap_or_default();
    let bytes = std::fs::read(&p).unwrap();
    let d = sayso_html::charset::decode(&bytes, None);
    let dom = Dom::parse(&d.text);
    for id in 0..dom.nodes.len() as u32 {
        let NodeKind::Text(s) = dom.node(id).kind else { continue };
        let t = &dom.src[s.start..s.end];
        if needle.is_empty() || !t.contains(&needle) {
            continue;
        }
        let mut a = dom.node(id).parent;
        let mut chain = vec![];
        while a != 0 {
            let cls = format!("{} {}", dom.attr(a, "class").unwrap_or_default(), dom.attr(a, "id").unwrap_or_default());
            chain.push(format!(
                "{}#{}[{}]{}",
                dom.name(a),
                a,
                cls.trim().chars().take(40).collect::<String>(),
                if sayso_html::debug_boiler(&dom, a) { "*SKIP*" } else { "" }
            ));
            a = dom.node(a).parent;
        }
        chain.reverse();
        println!("{}", chain.join(" > "));
    }
}
