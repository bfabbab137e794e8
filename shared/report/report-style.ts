// The report's stylesheet, one inline <style> admitted by its hash (no style attributes anywhere).

export const REPORT_STYLE = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa;--deny:#cf222e;--deny-dark:#a40e26;
--deny-soft:#ffebe9;--warn:#9a6700;--warn-soft:#fff8c5;--ok:#1a7f37;--accent:#0969da;--edge:#8fb0d8}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI","DejaVu Sans",sans-serif;color:var(--fg);background:#fff}
code,pre,svg{font-family:ui-monospace,"SFMono-Regular","DejaVu Sans Mono",monospace}
code{font-size:12px;overflow-wrap:break-word}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
header.top{background:#0d1117;color:#f0f6fc;padding:1.1rem 2rem 1.2rem}
header.top .inner,main{max-width:1104px;margin:0 auto}
header.top h1{margin:0;font-size:1.35rem;font-weight:600}
header.top h1 span{color:#9198a1;font-weight:400}
header.top p{margin:.2rem 0 .9rem;color:#9198a1}
.stats{display:flex;flex-wrap:wrap;gap:.6rem;margin:0}
.stats div{background:#161b22;border:1px solid #30363d;border-radius:8px;padding:.45rem .9rem;min-width:7.5rem}
.stats dt{color:#9198a1;font-size:12px}.stats dd{margin:0;font-size:1.35rem;font-weight:600;font-variant-numeric:tabular-nums}
.stats .deny dd{color:#ff7b72}.stats .warn dd{color:#e3b341}
nav{position:sticky;top:0;z-index:2;background:#fffffff0;border-bottom:1px solid var(--line)}
nav .inner{max-width:1104px;margin:0 auto;padding:.5rem 0;display:flex;gap:1.25rem;font-weight:500}
main{padding:.5rem 0 4rem}
h2{font-size:1.2rem;margin:2.2rem 0 .3rem;padding-bottom:.3rem;border-bottom:1px solid var(--line)}
h3{font-size:1.05rem;margin:0}h4{font-size:.95rem;margin:1.2rem 0 .2rem}
.muted{color:var(--muted)}.deny{color:var(--deny)}.warn{color:var(--warn)}.ok{color:var(--ok)}
.lead{color:var(--muted);margin:.2rem 0 .8rem}
.badge{display:inline-block;font-size:11px;font-weight:600;border-radius:2em;padding:0 .55em;border:1px solid;white-space:nowrap}
.badge.deny{background:var(--deny-soft);border-color:#ffcecb}.badge.warn{background:var(--warn-soft);border-color:#f5e0a0}
.badge.ok{background:#dafbe1;border-color:#aceebb}
.scroll{max-height:32rem;overflow:auto;border:1px solid var(--line);border-radius:6px;margin:.4rem 0 1rem}
table{border-collapse:collapse;width:100%;font-size:13px}
.scroll table{margin:0}
caption{text-align:left;padding:.4rem .6rem;color:var(--muted);font-size:12px;background:#fff}
th,td{border-bottom:1px solid var(--line);padding:.35rem .6rem;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600;white-space:nowrap;position:sticky;top:0}
th.n,td.n{text-align:right;font-variant-numeric:tabular-nums}
td.deny{font-weight:600}
tbody tr:hover{background:#f6f8fa}
th button{font:inherit;color:inherit;background:none;border:0;padding:0;cursor:pointer}
th button::after{content:" \\2195";color:#afb8c1}
th[aria-sort=ascending] button::after{content:" \\25B2";color:var(--fg)}
th[aria-sort=descending] button::after{content:" \\25BC";color:var(--fg)}
.legend{display:flex;flex-wrap:wrap;gap:1.2rem;font-size:12px;color:var(--muted);margin:.3rem 0 .6rem}
.legend span::before{content:"";display:inline-block;vertical-align:middle;margin-right:.4rem;width:26px;height:0}
.legend .answered::before{border-top:6px solid var(--edge)}
.legend .denied::before{border-top:3px dashed var(--deny)}
.legend .cross::before{width:14px;height:12px;background:var(--warn-soft);border:1px solid #d4a72c;border-radius:3px}
.legend .anon::before{width:14px;height:12px;border:1px dashed #8c959f;border-radius:3px}
.legend .spike::before{width:10px;height:12px;background:var(--deny-dark)}
.legend .bar::before{width:10px;height:12px;background:#ff8182}
.legend .threshold::before{border-top:1px dashed var(--deny-dark)}
svg{display:block;max-width:100%;height:auto;font-size:12px}
.graph .node rect{fill:#fff;stroke:#8c959f}
.graph .target rect{fill:var(--soft);stroke:#59636e;stroke-width:1.2}
.graph .caller.anonymous rect{stroke-dasharray:5 3}
.graph .caller.cross-account rect{fill:var(--warn-soft);stroke:#d4a72c}
.graph .node.has-denials rect{stroke:var(--deny);stroke-width:1.5}
.graph .name{font-weight:600;fill:var(--fg)}
.graph .meta,.timeline .meta{fill:var(--muted);font-size:11px}
.graph .deny,.timeline .deny{fill:var(--deny)}.graph .warn{fill:var(--warn)}
.graph .column{fill:var(--muted);font-size:11px;letter-spacing:.08em}
.graph path{fill:none}
.graph path.answered{stroke:var(--edge);stroke-opacity:.7}
.graph path.denied{stroke:var(--deny);stroke-dasharray:7 4;stroke-opacity:.9}
.graph .edge:hover path.answered{stroke-opacity:1;stroke:#54aeff}
.graph a:hover rect{stroke:var(--accent);stroke-width:2}
.graph .edge-label{fill:var(--deny);font-size:11px;font-weight:700;text-anchor:middle;paint-order:stroke;stroke:#fff;stroke-width:4px;stroke-linejoin:round}
.timeline .name{font-weight:600;fill:var(--fg)}
.timeline a .name{fill:var(--accent)}
.timeline .spike-text{fill:var(--deny-dark);font-weight:700}
.timeline .bar{fill:#ff8182}.timeline .bar.spike,.timeline .spike-marker{fill:var(--deny-dark)}
.timeline .threshold{stroke:var(--deny-dark);stroke-dasharray:4 3}
.timeline .baseline{stroke:var(--line)}.timeline .day{stroke:#eaeef2}
.timeline .axis{fill:var(--muted);font-size:10px}
.timeline .hour{stroke:var(--line)}.timeline text.hour{stroke:none;text-anchor:middle}
ul.spikes{margin:.3rem 0;padding-left:1.2rem}
article.service{border:1px solid var(--line);border-radius:8px;padding:1rem 1.2rem;margin:1.2rem 0}
article.service>header{display:flex;flex-wrap:wrap;align-items:baseline;gap:.3rem .8rem}
article.service>header p{margin:0;width:100%}
details{margin:.6rem 0}summary{cursor:pointer;font-weight:600}
pre{font-size:12px;background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:.75rem;overflow:auto;max-height:28rem}
ul.sessions{margin:0;padding:0;list-style:none}ul.sessions code{overflow-wrap:anywhere}
`;
