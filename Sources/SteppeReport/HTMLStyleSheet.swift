/// The one style sheet of every `HTMLReport`, inlined in its `<head>`.
///
/// System fonts only (`system-ui` and the platforms' own sans-serif and monospace
/// faces), so the page loads nothing and looks native wherever it is opened. Numbers use
/// tabular figures and are right-aligned, so columns of estimates line up as in the text
/// output. Rules between row groups stand where the text output draws dashes. Wide
/// tables scroll sideways on a screen instead of squeezing the page.
///
/// The print rules set the text in points, drop the scrolling (a printed table shows
/// every column, shrunk if need be), repeat a table's header on each page, and keep a
/// figure, a table row or a quote from being split across pages. The sheet holds no `<`
/// or `&`, so the page stays well-formed XML too.
enum HTMLStyleSheet {
    static let css = """
    :root { color-scheme: light; }
    body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif;
      color: #222; background: #fff; line-height: 1.45; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; max-width: 72rem; }
    h1 { font-size: 1.5rem; margin: 0 0 0.5rem; }
    h2 { font-size: 1.2rem; margin: 2rem 0 0.75rem; border-bottom: 1px solid #ccc; padding-bottom: 0.2rem; }
    h3 { font-size: 1.05rem; margin: 1.25rem 0 0.4rem; }
    h4 { font-size: 0.95rem; margin: 0.9rem 0 0.3rem; }
    header p { margin: 0.25rem 0; color: #555; }
    pre.command { background: #f4f4f4; border: 1px solid #ddd; border-radius: 4px; padding: 0.6rem 0.8rem;
      white-space: pre-wrap; word-break: break-all; }
    code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.9rem; }
    .scroll { overflow-x: auto; }
    table { border-collapse: collapse; margin: 0.5rem 0; font-variant-numeric: tabular-nums; }
    caption { caption-side: top; text-align: left; font-weight: 600; padding: 0 0 0.4rem; }
    th, td { padding: 0.2rem 0.7rem; text-align: left; vertical-align: top; white-space: pre-wrap; }
    thead th { border-top: 2px solid #222; border-bottom: 1px solid #222; font-weight: 600; }
    tbody + tbody { border-top: 1px solid #888; }
    table tbody:last-child tr:last-child td { border-bottom: 2px solid #222; }
    .num { text-align: right; white-space: nowrap; }
    ul.notes { margin: 0.4rem 0 1.5rem; padding-left: 1.2rem; font-size: 0.9rem; color: #333; }
    ul.notes li { white-space: pre-wrap; }
    figure.plot { margin: 1rem 0 1.5rem; }
    figure.plot svg { display: block; max-width: 100%; height: auto; }
    figcaption { font-size: 0.9rem; color: #444; margin-top: 0.4rem; }
    blockquote { margin: 0.3rem 0 0.5rem 0; padding: 0.1rem 0 0.1rem 0.8rem; border-left: 3px solid #bbb; color: #444; }
    article.provenance { margin-bottom: 1.5rem; }
    footer { margin-top: 2.5rem; font-size: 0.85rem; color: #555; border-top: 1px solid #ccc; padding-top: 0.5rem; }
    @media print {
      @page { margin: 15mm; }
      body { font-size: 10pt; max-width: none; padding: 0; }
      h1 { font-size: 16pt; }
      h2 { font-size: 13pt; break-after: avoid; }
      h3, h4 { break-after: avoid; }
      .scroll { overflow: visible; }
      table { font-size: 9pt; }
      thead { display: table-header-group; }
      tr, figure, blockquote, pre { break-inside: avoid; }
      pre.command { background: none; }
    }
    """
}
