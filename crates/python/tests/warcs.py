"""Small WARC files written for the tests: one gzip member per record, as Common Crawl writes."""

import gzip

PAGE = """<html><head><title>{title}</title><meta property="og:site_name" content="The Daily">
<meta property="article:published_time" content="{date}"></head><body><article><h1>{title}</h1>
<p>&ldquo;We will not raise taxes this year, whatever happens to the economy,&rdquo; Finance Minister Ann Lee told reporters in London on {day}.</p>
<p>Opposition leader Ahmed Khan said the plan would hurt rural schools and called for a vote in parliament.</p>
</article></body></html>"""


def page(i, date="2025-06-03"):
    return PAGE.format(title=f"Budget row {i}", date=date, day="Tuesday").encode()


def record(i, body, content_type="text/html; charset=utf-8"):
    http = f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body
    head = (
        "WARC/1.1\r\nWARC-Type: response\r\n"
        f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{i:012d}>\r\n"
        f"WARC-Target-URI: https://daily.example/news/{i}\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    return gzip.compress(head + http + b"\r\n\r\n")


def write_warc(path, n, first=0, date="2025-06-03"):
    with open(path, "wb") as f:
        for i in range(first, first + n):
            f.write(record(i, page(i, date)))
    return path
