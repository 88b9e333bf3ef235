"""The fixed parts of the HTML screen report: style sheet, script, size limits, escaping."""

from __future__ import annotations

import html
import json
from typing import Any

from boolfate.palette import fate_colour, text_colour

_CSS = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:0 auto;padding:1em 2em;
color:#222;max-width:90em;line-height:1.4}
h1{font-size:1.5em;margin:.2em 0}
h2{font-size:1.2em;margin:1.2em 0 .4em;border-bottom:1px solid #ddd}
h3{font-size:1em;margin:.8em 0 .3em}
.top{display:flex;flex-wrap:wrap;gap:.4em 2em;background:#f6f6f6;border:1px solid #ddd;
border-radius:.4em;padding:.6em 1em}.top div{min-width:12em}.top b{display:block;font-size:.8em;
color:#555;font-weight:600;text-transform:uppercase;letter-spacing:.03em}
nav.toc{margin:.6em 0;font-size:.9em}nav.toc a{margin-right:1.2em}
table{border-collapse:collapse;font-size:.85em}td,th{border:1px solid #ccc;padding:.2em .45em;
text-align:left;vertical-align:top}
.wrap{max-height:75vh;overflow:auto;border:1px solid #ccc}
#matrix thead th{background:#eee;position:sticky;top:0;z-index:2;cursor:pointer;
white-space:nowrap}#matrix thead th:first-child{left:0;z-index:3}
#matrix tbody td{white-space:nowrap}
#matrix tbody td:first-child{position:sticky;left:0;background:#fafafa;z-index:1;
white-space:nowrap}#matrix tbody tr:hover td{outline:1px solid #888}
#matrix td.sel{outline:2px solid #000!important}
.fate{display:inline-block;border-radius:.6em;padding:0 .45em;margin:.05em;font-size:.9em;
border:1px solid rgba(0,0,0,.35)}.fate.lost{background:#fff!important;color:#555!important;
text-decoration:line-through;border-style:dashed}
.mark{font-weight:bold;margin-left:.2em}
.legend{display:flex;flex-wrap:wrap;gap:.3em 1.2em;align-items:center;font-size:.85em;margin:.4em 0}
.swatch{display:inline-block;min-width:1.6em;padding:0 .3em;border:1px solid #777;margin-right:.3em;
text-align:center}
.controls{display:flex;flex-wrap:wrap;gap:.5em 1em;align-items:center;margin:.5em 0;font-size:.9em}
.pager{margin:.4em 0;font-size:.9em}.pager button{margin:0 .3em}
figure{margin:.5em 0 1.5em}figure .fig{max-width:100%;overflow:auto;border:1px solid #eee}
figure .fig svg,figure .fig img{max-width:100%;height:auto;display:block}
figure .fig.zoom svg,figure .fig.zoom img{max-width:none}
figcaption{font-size:.85em;color:#444}.note{background:#fff8e1;border:1px solid #e0c060;
padding:.5em .8em;border-radius:.3em}
#detail{border:1px solid #ccc;border-radius:.3em;padding:.4em .8em;background:#fcfcfc}
details{margin:.3em 0}summary{cursor:pointer}code{font-size:.92em}
.prov td:first-child{font-weight:bold;white-space:nowrap}
svg .ovl-ko>ellipse,svg .ovl-ko>polygon{stroke:#D55E00;stroke-width:4}
svg .ovl-oe>ellipse,svg .ovl-oe>polygon{stroke:#0072B2;stroke-width:4}
svg .ovl-on>ellipse,svg .ovl-on>polygon{fill:#4d4d4d}svg .ovl-on>text{fill:#fff}
svg .ovl-off>ellipse,svg .ovl-off>polygon{fill:#fff}
"""

_JS = r"""
(function(){
const D=JSON.parse(document.getElementById('screen-data').textContent);
const $=id=>document.getElementById(id);
const ESC={'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'};
const esc=s=>String(s).replace(/[&<>"']/g,c=>ESC[c]);
const chip=(i,lost)=>'<span class="fate'+(lost?' lost':'')+'" style="background:'+D.colours[i]+
  ';color:'+D.text[i]+'">'+esc(D.fates[i])+'</span>';
let view=D.rows.map((r,i)=>i), page=0, sortKey=null, sortDir=1;
const size=()=>parseInt($('f-size').value,10);
function cellText(c){return c?c[0].map(i=>D.fates[i]).join(', '):'';}
function match(r){
  const q=$('f-node').value.trim().toLowerCase(), fate=$('f-fate').value, ch=$('f-change').value;
  if(q && !(r[0].toLowerCase().includes(q)||r[2].toLowerCase().includes(q))) return false;
  const cells=r[3].filter(c=>c);
  if(fate!=='' && !cells.some(c=>c[0].includes(+fate))) return false;
  if(ch==='any' && !cells.some(c=>c[3]>1)) return false;
  if(ch!=='' && ch!=='any' && !cells.some(c=>c[3]===+ch)) return false;
  return true;
}
function apply(){
  view=D.rows.map((r,i)=>i).filter(i=>match(D.rows[i]));
  if(sortKey!==null){
    const key=sortKey<0?(i=>D.rows[i][0]):(i=>{const c=D.rows[i][3][sortKey];
      return c?(D.changes[c[3]]+' '+cellText(c)):'~';});
    view.sort((a,b)=>{const x=key(a),y=key(b);return (x<y?-1:x>y?1:a-b)*sortDir;});
  }
  page=0; draw();
}
function draw(){
  const n=size(), pages=Math.max(1,Math.ceil(view.length/n));
  if(page>=pages) page=pages-1;
  const out=[];
  for(const i of view.slice(page*n,page*n+n)){
    const r=D.rows[i];
    let h='<tr><td><code>'+esc(r[0])+'</code>'+(r[2]?' <small>'+esc(r[2])+'</small>':'')+'</td>';
    r[3].forEach((c,j)=>{
      if(!c){h+='<td></td>';return;}
      const ch=D.changes[c[3]];
      h+='<td data-r="'+i+'" data-c="'+j+'" style="background:'+D.changeColours[c[3]]+
        '" title="'+esc(ch)+'">'+c[0].map(k=>chip(k,false)).join('')+
        c[1].map(k=>chip(k,true)).join('')+(D.marks[c[3]]?'<span class="mark">'+
        D.marks[c[3]]+'</span>':'')+(c[4]?' <small>'+esc(D.interactions[c[4]])+'</small>':'')+
        '</td>';
    });
    out.push(h+'</tr>');
  }
  $('matrix-body').innerHTML=out.join('');
  $('f-count').textContent=view.length+' of '+D.rows.length+' perturbations';
  $('p-info').textContent='page '+(page+1)+' of '+pages;
}
function detail(i,j){
  const r=D.rows[i], c=r[3][j], d=(D.details[i]||[])[j];
  const items=['<b><code>'+esc(r[0])+'</code> under '+esc(D.conds[j])+'</b>'+
    (r[2]?' ('+esc(r[2])+')':'')];
  if(D.descriptions[i]) items.push(esc(D.descriptions[i]));
  items.push('change: <b>'+esc(D.changes[c[3]])+'</b>; fates: '+
    (c[0].map(k=>chip(k,false)).join('')||'-')+(c[1].length?'; lost: '+
    c[1].map(k=>chip(k,true)).join(''):'')+(c[2].length?'; gained: '+
    c[2].map(k=>chip(k,false)).join(''):''));
  if(d){
    if(d.interaction) items.push('interaction: '+esc(d.interaction));
    if(d.decision) items.push('decision: '+esc(d.decision));
    if(d.attractors) items.push(esc(d.attractors));
    if(d.probabilities) items.push('probabilities (MaBoSS semantics): '+esc(d.probabilities));
    if(d.trace&&d.trace.length) items.push('percolation trace:<ol>'+
      d.trace.map(t=>'<li><code>'+esc(t)+'</code></li>').join('')+'</ol>');
  } else items.push('details of unchanged rows of large screens: results.csv and traces.jsonl');
  $('detail').innerHTML=items.map(t=>'<div>'+t+'</div>').join('');
  overlay(r[1], d&&d.forced?d.forced:{});
  document.querySelectorAll('#matrix td.sel').forEach(e=>e.classList.remove('sel'));
  const td=document.querySelector('#matrix td[data-r="'+i+'"][data-c="'+j+'"]');
  if(td) td.classList.add('sel');
}
function overlay(pert, forced){
  const svg=document.querySelector('#fig-network svg'); if(!svg) return;
  const fixes={};
  for(const t of pert.split(' ')){const m=t.split('%'); if(m.length===2) fixes[m[0]]=m[1];}
  svg.querySelectorAll('g.node').forEach(g=>{
    const t=g.querySelector('title'); if(!t) return; const n=t.textContent;
    g.classList.remove('ovl-ko','ovl-oe','ovl-on','ovl-off');
    if(n in fixes) g.classList.add(fixes[n]==='0'?'ovl-ko':'ovl-oe');
    if(n in forced) g.classList.add(forced[n]?'ovl-on':'ovl-off');
  });
  const cap=$('network-overlay'); if(cap) cap.textContent=pert?('overlay: '+pert+
    ' (red border: knock-out, blue border: over-expression; dark/white: values percolation '+
    'forces in every attractor of the row)'):'';
}
$('matrix-body').addEventListener('click',e=>{const td=e.target.closest('td[data-r]');
  if(td) detail(+td.dataset.r,+td.dataset.c);});
document.querySelectorAll('#matrix thead th').forEach(th=>th.addEventListener('click',()=>{
  const k=+th.dataset.k; sortDir=(sortKey===k)?-sortDir:1; sortKey=k; apply();}));
['f-node','f-fate','f-change','f-size'].forEach(id=>$(id).addEventListener('input',apply));
$('p-prev').addEventListener('click',()=>{if(page>0){page--;draw();}});
$('p-next').addEventListener('click',()=>{page++;draw();});
document.querySelectorAll('figure .fig').forEach(f=>f.addEventListener('click',
  ()=>f.classList.toggle('zoom')));
apply();
const sel=location.hash.match(/^#select=(\d+),(\d+)$/);
if(sel&&D.rows[+sel[1]]&&D.rows[+sel[1]][3][+sel[2]]) detail(+sel[1],+sel[2]);
const box=$('matrix').getBoundingClientRect();
document.body.dataset.matrixTop=String(Math.round(box.top));
document.body.dataset.matrixHeight=String(Math.round(box.height));
document.body.dataset.matrix='ready';
document.body.dataset.readyMs=String(Math.round(performance.now()));
})();
"""

_ERRORS_JS = (
    "window.addEventListener('error',function(e){var p=document.getElementById('script-errors');"
    "if(!p){p=document.createElement('pre');p.id='script-errors';"
    "(document.body||document.documentElement).appendChild(p);}"
    "p.textContent+=String(e.message)+'\\n';});"
)

DETAIL_ROWS = 2000
"""Screens up to this many rows carry every row's details (trace included) in the HTML."""

STATIC_DETAIL_ROWS = 300
"""Screens up to this many rows also list every row's details as plain HTML."""

STATIC_ROWS = 100
"""Matrix rows written as plain HTML (the first page; scripts render the rest)."""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _chip(fate: str, cls: str = "fate") -> str:
    bg = fate_colour(fate)
    return f'<span class="{cls}" style="background:{bg};color:{text_colour(bg)}">{_e(fate)}</span>'


def _svg(text: str) -> str:
    start = text.find("<svg")
    return text[start:] if start >= 0 else ""


def _script_json(data: Any) -> str:
    """JSON safe inside ``<script>``: no ``<``, ``>`` or ``&`` characters."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
