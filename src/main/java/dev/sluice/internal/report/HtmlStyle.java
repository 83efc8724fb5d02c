package dev.sluice.internal.report;

/**
 * The HTML report's style sheet, inlined in every page so that the file stands alone. It holds no
 * {@code <} or {@code &}, so the page stays well-formed XML.
 *
 * <p>Immutable.
 */
final class HtmlStyle {
  static final String CSS =
      String.join(
          "\n",
          ":root{--ink:#1d2330;--muted:#5b6475;--line:#d9dee7;--panel:#f5f7fa;"
              + "--ok:#1e7d34;--warn:#a35c00;--bad:#b3261e;"
              + "--busy:#ff7f0e;--in:#9fb8d6;--out:#d4a5a5}",
          "*{box-sizing:border-box}",
          "body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
              + "color:var(--ink);background:#fff}",
          "header.top{display:flex;align-items:center;gap:16px;padding:18px 32px;border-bottom:1px solid var(--line)}",
          "h1{font-size:22px;margin:0}",
          "h2{font-size:18px;margin:28px 0 10px}",
          "h3{font-size:15px;margin:18px 0 6px}",
          "main{max-width:1100px;margin:0 auto;padding:8px 32px 32px}",
          "footer{max-width:1100px;margin:0 auto;padding:16px 32px;color:var(--muted);font-size:13px;"
              + "border-top:1px solid var(--line)}",
          ".status{font-weight:600;padding:3px 12px;border-radius:999px;color:#fff;text-transform:uppercase;"
              + "font-size:13px;letter-spacing:.04em}",
          ".status.ok{background:var(--ok)}",
          ".status.warn{background:var(--warn)}",
          ".status.failed{background:var(--bad)}",
          ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin:20px 0}",
          ".card{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:10px 14px}",
          ".card .label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.05em}",
          ".card .value{font-size:22px;font-weight:600;font-variant-numeric:tabular-nums}",
          ".card .detail{color:var(--muted);font-size:12px}",
          ".verdict{border:2px solid var(--busy);border-left-width:8px;border-radius:8px;padding:4px 20px 10px;"
              + "background:#fff8f0;margin:20px 0}",
          ".verdict h2{font-size:20px;margin:10px 0 6px}",
          ".verdict .stage{color:#b35600}",
          ".verdict .evidence{margin:4px 0;font-size:16px}",
          ".verdict code{font-size:16px;background:#fff;border:1px solid var(--line);padding:2px 8px;border-radius:4px}",
          ".counts{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:16px;align-items:start}",
          "table{border-collapse:collapse;font-variant-numeric:tabular-nums}",
          "caption{text-align:left;font-weight:600;padding:4px 0}",
          "th,td{padding:5px 10px;border-bottom:1px solid var(--line);text-align:right}",
          "th:first-child{text-align:left}",
          "table.kv th{font-weight:normal;color:var(--muted)}",
          "table.fields td{text-align:left}",
          "table.stages{width:100%}",
          "table.stages thead th{background:var(--panel);font-size:13px}",
          "table.stages tbody th{font-weight:600}",
          "tr.bottleneck{background:#fff3e6}",
          "tr.bottleneck th::after{content:' \\2190 bottleneck';color:#b35600;font-weight:normal;font-size:12px}",
          ".barcol{width:34%}",
          ".bar{display:flex;height:14px;border-radius:3px;overflow:hidden;background:var(--panel)}",
          ".bar span,.sw{display:inline-block;height:14px}",
          ".busy{background:var(--busy)}",
          ".in{background:var(--in)}",
          ".out{background:var(--out)}",
          ".sw{width:14px;vertical-align:middle;border-radius:3px;margin-left:10px}",
          ".legend{color:var(--muted);font-size:13px}",
          "figure.chart{margin:16px 0 24px;border:1px solid var(--line);border-radius:8px;padding:8px}",
          "figure.chart figcaption{font-weight:600;padding:2px 6px 6px}",
          "figure.chart svg{display:block;width:100%;height:auto}",
          ".note{color:var(--muted);font-style:italic}",
          ".muted{color:var(--muted)}",
          "ul.files,ul.warnings{padding-left:20px}",
          "code,pre{font-family:ui-monospace,'DejaVu Sans Mono',monospace;word-break:break-all}",
          ".error{border:2px solid var(--bad);border-left-width:8px;border-radius:8px;padding:4px 20px 12px;"
              + "background:#fdf2f1;margin:20px 0}",
          ".error .message{font-size:16px;font-weight:600}",
          "details.trace{margin:20px 0}",
          "details.trace pre{background:var(--panel);padding:10px;overflow:auto;font-size:12px;white-space:pre-wrap}",
          "");

  private HtmlStyle() {}
}
