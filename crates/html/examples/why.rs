// Temporary debugging aid: ancestor chains of long paragraphs.
use sayso_html::dom::Dom;
fn main() {
    let p = std::env::args().nth(1).unwrap();
    let bytes = std::fs::read(&p).unwrap();
    let d = sayso_html::charset::decode(&bytes, None);
    let dom = Dom::parse(&d.text);
    for id in dom.elements("p") {
        let n = dom.node(id);
        let t = &dom.src[n.span.start..n.span.end];
        if t.len() < 150 {
            continue;
        }
        let mut a = n.parent;
        let mut chain = vec![];
        while a != 0 {
            chain.push(format!("{}#{}{}", dom.name(a), a, if sayso_html::debug_boiler(&dom, a) { format!("*[{} {}]", dom.attr(a, "class").unwrap_or_default(), dom.attr(a, "id").unwrap_or_default()) } else { String::new() }));
            a = dom.node(a).parent;
        }
        chain.reverse();
        println!("{} | {}", chain.join(">"), t.chars().skip_while(|&c| c != '>').take(50).collect::<String>());
    }
}
