package io.rehearsal.pipelines.report;

/** The report's embedded style sheet: system fonts only, nothing loaded from anywhere. */
final class Css {

  private Css() {}

  static final String STYLE = """
      :root { color-scheme: light; }
      * { box-sizing: border-box; }
      body { margin: 0; background: #f6f8fa; color: #1f2328;
        font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
      .banner { color: #fff; padding: 22px 32px 20px; }
      .verdict-word { font-size: 40px; font-weight: 700; letter-spacing: .5px; line-height: 1.15; }
      .verdict-meta { font-size: 16px; margin-top: 6px; opacity: .95; }
      .verdict-failure { font-size: 15px; margin-top: 10px; padding: 8px 12px; background: rgba(0,0,0,.18);
        border-radius: 6px; white-space: pre-wrap; word-break: break-word; }
      main { max-width: 1240px; margin: 0 auto; padding: 8px 32px 40px; }
      nav { margin: 10px 0 4px; color: #59636e; }
      nav a { color: #0969da; text-decoration: none; }
      section { background: #fff; border: 1px solid #d1d9e0; border-radius: 8px; padding: 4px 20px 16px;
        margin: 16px 0; overflow-x: auto; }
      h2 { font-size: 20px; margin: 14px 0 10px; }
      h3 { font-size: 15px; margin: 18px 0 8px; }
      p.hint { color: #59636e; margin: 4px 0 10px; }
      p.empty { color: #59636e; font-style: italic; }
      table { border-collapse: collapse; margin: 6px 0 10px; font-variant-numeric: tabular-nums; }
      th, td { border-bottom: 1px solid #d1d9e0; padding: 4px 10px; text-align: left; vertical-align: top; }
      thead th { background: #f6f8fa; font-weight: 600; white-space: nowrap; }
      td.num { text-align: right; white-space: nowrap; }
      td.mono, .mono { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
      td.hash { cursor: help; }
      td.msgs, td.note { white-space: pre-line; color: #3d444d; min-width: 380px; max-width: 560px; font-size: 12.5px; }
      tr.note-row td.note { min-width: 0; max-width: none; padding-top: 0; padding-left: 22px; }
      tbody tr:has(+ tr.note-row) td { border-bottom: none; }
      td.total { font-weight: 600; border-top: 2px solid #d1d9e0; }
      .s-pass { background: #dafbe1; color: #116329; font-weight: 600; }
      .s-fail { background: #ffebe9; color: #a40e26; font-weight: 600; }
      .s-warn { background: #fff8c5; color: #7d4e00; font-weight: 600; }
      .s-none { background: #f6f8fa; color: #59636e; }
      .chip { display: inline-block; padding: 1px 10px; border-radius: 12px; margin-right: 6px; }
      .kv-grid { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 8px 32px; }
      table.kv caption { text-align: left; font-weight: 600; padding: 4px 0; }
      table.kv th { font-weight: 400; color: #59636e; border: none; padding: 2px 12px 2px 0; }
      table.kv td { border: none; padding: 2px 0; word-break: break-all; }
      details { margin: 8px 0; }
      summary { cursor: pointer; color: #0969da; }
      pre { background: #f6f8fa; border: 1px solid #d1d9e0; border-radius: 6px; padding: 10px; overflow-x: auto;
        font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
      .chart { overflow-x: auto; }
      svg text { font: 12px -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif;
        fill: #1f2328; }
      svg text.rl { text-anchor: end; }
      svg text.rv { font-variant-numeric: tabular-nums; fill: #3d444d; }
      svg text.ph { font-weight: 600; font-size: 13px; }
      svg text.tick { font-size: 11px; fill: #59636e; text-anchor: middle; }
      svg text.tick.end { text-anchor: end; }
      svg text.lg { font-size: 12px; fill: #3d444d; }
      svg text.hl { font-size: 11px; fill: #3d444d; }
      svg text.cv { font-size: 10px; text-anchor: middle; fill: #1f2328; pointer-events: none; }
      svg text.cv.dark { fill: #fff; }
      svg line.grid { stroke: #eaeef2; stroke-width: 1; }
      svg line.axis { stroke: #8c959f; stroke-width: 1; }
      svg line.zero { stroke: #1f2328; stroke-width: 1.2; }
      svg line.margin { stroke: #bf8700; stroke-width: 2; stroke-dasharray: 4 3; }
      svg rect.stripe { fill: #f6f8fa; }
      svg rect.hm { stroke: #fff; stroke-width: 1; }
      svg rect.hm.alert { stroke: #1f2328; stroke-width: 2; }
      svg rect.na { fill: #eaeef2; stroke: #d1d9e0; stroke-dasharray: 2 2; }
      footer { color: #59636e; font-size: 12px; margin-top: 20px; }
      """;
}
