package io.charlatan.imposters.internal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a config file may hold beyond what Mountebank's own differential test covers. */
class EjsConfigTest {
  @TempDir Path dir;

  private Path file(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  @Test
  void inserts_files_named_in_double_quotes_and_trims_after_dash_tags() throws Exception {
    file("part.json", "{\"a\":1}");
    file("text.txt", "tab\tand \"quote\"\n");
    Path main =
        file(
            "main.ejs",
            "[<%= include(\"part.json\") -%>\r\n,\"<%- inject(\"text.txt\") %>\"<%_ # x _%>]");

    assertThatThrownBy(() -> EjsConfig.render(main))
        .hasMessageContaining("cannot render <%_ # x _%>")
        .hasMessageContaining("use --noParse");
    Files.writeString(main, "[<%= include(\"part.json\") -%>\r\n,\"<%- inject(\"text.txt\") %>\"]");
    assertThat(EjsConfig.render(main)).isEqualTo("[{\"a\":1},\"tab\\tand \\\"quote\\\"\"]");
  }

  @Test
  void names_the_file_and_the_tag_it_cannot_render() throws Exception {
    Path loop = file("loop.ejs", "<% for (var i = 0; i < 2; i++) { %>x<% } %>");
    Path unclosed = file("unclosed.ejs", "{ <%- stringify('x.txt') }");
    Path noFile = file("nofile.ejs", "<%- include(filename) %>");
    Path self = file("self.ejs", "<% include self.ejs %>");
    Path odd = file("odd.ejs", "<%- include(1 + 2) %>");

    assertThatThrownBy(() -> EjsConfig.render(loop))
        .hasMessageStartingWith("--configfile " + loop + ": cannot render <% for (var i");
    assertThatThrownBy(() -> EjsConfig.render(unclosed))
        .hasMessage("--configfile " + unclosed + ": a '<%' tag is not closed with '%>'");
    assertThatThrownBy(() -> EjsConfig.render(noFile)).hasMessageContaining("cannot render");
    assertThatThrownBy(() -> EjsConfig.render(self)).hasMessageContaining("includes itself");
    assertThatThrownBy(() -> EjsConfig.render(odd)).hasMessageContaining("cannot render");
  }
}
