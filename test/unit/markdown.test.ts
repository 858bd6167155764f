/** Notes are markdown written by people: rendered as React elements, whatever they contain is text. */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown } from '../../src/web/components/Markdown.tsx';

const html = (text: string) => renderToStaticMarkup(createElement(Markdown, { text }));

describe('markdown of notes', () => {
  it('renders the subset: headings, lists, emphasis, code and web links', () => {
    const out = html(
      '# Terms\n\n- **senior** secured\n- *five* years\n\nSee `IC-7` and [the memo](https://example.org/m).',
    );
    expect(out).toContain('<h3>Terms</h3>');
    expect(out).toContain('<li><strong>senior</strong> secured</li>');
    expect(out).toContain('<em>five</em>');
    expect(out).toContain('<code>IC-7</code>');
    expect(out).toContain(
      '<a href="https://example.org/m" rel="noopener noreferrer nofollow" target="_blank">the memo</a>',
    );
  });

  it('keeps HTML, scripts and script links as text', () => {
    const out = html(
      '<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n[click](javascript:alert(3)) [data](data:text/html,x)',
    );
    expect(out).not.toMatch(/<script|<img|href="javascript|href="data/i);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('[click](javascript:alert(3))');
  });
});
