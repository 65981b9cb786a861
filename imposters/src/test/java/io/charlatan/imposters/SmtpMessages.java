package io.charlatan.imposters;

/** Raw messages the smtp tests send, one of each kind Mountebank's mail parser treats apart. */
final class SmtpMessages {
  private SmtpMessages() {}

  static final String PLAIN =
      """
      From: Ann Sender <ann@example.com>
      To: bob@example.com
      Subject: Your order
      Date: Sun, 06 Dec 2026 10:00:00 +0000

      Hello Bob,
      .a line that starts with a dot
      Thanks.
      """;

  static final String ALTERNATIVE =
      """
      From: "Quoted, Name" <q@example.com>
      To: =?UTF-8?B?SsO8cmdlbg==?= <j@example.com>
      Subject: =?ISO-8859-1?Q?Caf=E9_au_lait?= and =?UTF-8?Q?=E2=82=AC?=
      References: <r1@x>
      In-Reply-To: r0@x
      X-Priority: 1
      MIME-Version: 1.0
      Content-Type: multipart/alternative; boundary="alt"

      preamble
      --alt
      Content-Type: text/plain; charset=iso-8859-1
      Content-Transfer-Encoding: quoted-printable

      Caf=E9 soft=
      break and =3D sign
      --alt
      Content-Type: text/html; charset=utf-8
      Content-Transfer-Encoding: base64

      PGh0bWw+PGJvZHk+PHA+Q2Fmw6k8L3A+PC9ib2R5PjwvaHRtbD4=
      --alt--
      epilogue
      """;

  static final String ATTACHMENTS =
      """
      From: att@example.com
      To: one@example.com
      Subject: attachments
      Content-Type: multipart/mixed; boundary="mix"

      --mix
      Content-Type: multipart/related; boundary="rel"

      --rel
      Content-Type: text/html

      <p>Image: <img src="cid:img1@x"></p>
      --rel
      Content-Type: image/png
      Content-Transfer-Encoding: base64
      Content-ID: <img1@x>
      Content-Disposition: inline; filename="dot.png"

      iVBORw0KGgo=
      --rel--
      --mix
      Content-Type: application/octet-stream; name="report.pdf"
      Content-Transfer-Encoding: base64

      JVBERi0xLjQK
      --mix
      Content-Disposition: attachment; filename*=UTF-8''%E2%82%AC%20rates.csv

      a,b
      1,2
      --mix
      Content-Type: text/plain
      Content-Disposition: attachment

      not inline text
      --mix
      Content-Type: text/plain; format=flowed; delsp=yes

      Flowed text that con\s
      tinues here.
      Next line.
      --mix--
      """;

  static final String RECIPIENTS =
      """
      From: Sender <s@example.com>
      To: first@example.com, second@example.com
      To: third@example.com
      Cc: Friends: a@x.org, b@y.org;
      Cc: Carl <carl@example.com>
      Bcc: hidden@example.com (Hidden Person)
      Subject: many recipients

      Hi all
      """;

  static final String HTML_ONLY =
      """
      From: html@example.com
      To: one@example.com
      Subject: html only
      Content-Type: text/html

      <html><head><title>T</title></head><body><h1>Title</h1><p>First &amp; <a href="http://x.example/a">link</a></p><p>Second<br>line</p><ul><li>one</li><li>two</li></ul><ol><li>three</li></ol><hr><img src="i.png" alt="Alt"></body></html>
      """;

  static final String MIXED_TEXT_AND_HTML =
      """
      From: mixed@example.com
      To:
      Subject:
      References: <a@x> b@x
      References: <c@x>
      Content-Type: multipart/mixed; boundary=b1

      --b1
      Content-Type: text/plain

      Text part one & <more>
      with \u00e9

      second para
      --b1
      Content-Type: text/html

      <b>html part</b>
      --b1--
      """;

  static final String NESTED =
      """
      From: "=?utf-8?Q?Ren=C3=A9?=" <rene@example.com>
      To: Zoë <zoe@example.com>
      Subject: a folded
        subject line with Ünïcode raw
      Content-Type: MULTIPART/Mixed;
       boundary="outer"

      --outer
      Content-Type: multipart/alternative; boundary=inner

      --inner
      Content-Type: text/plain; charset="UTF-8"
      Content-Transfer-Encoding: 8bit

      Ünïcode text
      --inner
      Content-Type: multipart/related; boundary=rel

      --rel
      Content-Type: text/html; charset=utf-8

      <div>html <img src="cid:logo"></div>
      --rel
      Content-Type: image/jpeg; name="=?utf-8?B?bG9nw7YuanBn?="
      Content-ID: logo
      Content-Transfer-Encoding: base64

      /9j/4AAQ
      --rel--
      --inner--
      --outer
      Content-Type: text/plain; charset=iso-8859-1; name="notes.txt"
      Content-Disposition: attachment
      Content-Transfer-Encoding: quoted-printable

      caf=E9 notes
      --outer
      Content-Type: message/rfc822

      From: inner@example.com
      Subject: inner

      inner body
      --outer--
      """;

  static final String EDGES =
      """
      From: a@example.com
      Subject: edge
      Content-Type: multipart/mixed; boundary=E

      --E
      Content-Type: text/plain; name=inline.txt
      Content-Disposition: inline; filename=inline.txt

      inline text with name
      --E
      Content-Type: text/calendar; method=REQUEST

      BEGIN:VCALENDAR
      END:VCALENDAR
      --E
      Content-Type: text/plain

      --E
      Content-Type: multipart/alternative

      no boundary here
      --E
      Content-Type: text/html

      <table><tr><td>a</td><td>b</td></tr></table><blockquote>q</blockquote>
      --E--
      """;
}
