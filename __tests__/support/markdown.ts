/** Markdown as GitHub renders it, for tests of what a reader would see. */
import { micromark } from 'micromark'
import { gfm, gfmHtml } from 'micromark-extension-gfm'

/** CommonMark + GFM (tables, autolinks), raw HTML passed through. */
export function renderGfm(markdown: string): string {
  return micromark(markdown, {
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()],
    allowDangerousHtml: true
  })
}
