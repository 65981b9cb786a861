package io.charlatan.imposters.internal.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTextTest {
  @Test
  void formats_html_as_text_as_mountebanks_parser_does_for_the_common_elements() {
    assertThat(
            HtmlText.toText(
                "<html><head><style>p{}</style></head><body><!-- c --><h2>Sub <i>head</i></h2>"
                    + "<p>a <a href=\"http://x/y\">link</a> &amp; &lt;&eacute;&#233;&#xe9;&bogus;"
                    + "</p><div>d1</div><div>d2</div><ol><li>one</li><li>two</li></ol>"
                    + "<ul><li>dot</li></ul><hr><img src='i.png' alt=\"Alt\"> <img src=i.gif>"
                    + "<pre>  keep\n  this</pre>x<br>y</body></html>"))
        .isEqualTo(
            "SUB HEAD\n\na link [http://x/y] & <ééé&bogus;\n\nd1\nd2\n\n 1. one\n 2. two\n\n"
                + " * dot\n\n"
                + "-".repeat(80)
                + "\n\nAlt [i.png] [i.gif]\n\n  keep\n  this\n\nx\ny");
  }

  @Test
  void quotes_blockquotes_line_by_line() {
    assertThat(HtmlText.toText("<p>said:</p><blockquote>one<br>two</blockquote>after"))
        .isEqualTo("said:\n\n> one\n> two\n\nafter");
  }

  @Test
  void escapes_text_as_html_with_paragraphs_and_line_breaks() {
    assertThat(HtmlText.toHtml("  a & 'b' \"c\" `d` é ☃ \r\nline  \n\n\nnext\n"))
        .isEqualTo(
            "<p>a &amp; &#x27;b&#x27; &quot;c&quot; &#x60;d&#x60; &eacute; &#x2603;<br/>line"
                + "</p><p>next</p>");
  }
}
