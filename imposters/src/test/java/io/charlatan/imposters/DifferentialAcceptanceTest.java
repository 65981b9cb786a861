package io.charlatan.imposters;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the same imposters and requests against our server and the real Mountebank 2.9.1, and
 * compares what a client observes: status codes, headers that matter, bodies, the imposter JSON
 * with its recorded requests, and error bodies. Ports, times and client ports are normalized.
 */
class DifferentialAcceptanceTest extends SideBySide {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trustAll()).build();

  private static final String TEST_KEY = resource("/test-key.pem");
  private static final String TEST_CERT = resource("/test-cert.pem");

  private static String resource(String name) {
    try (java.io.InputStream in = DifferentialAcceptanceTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String jsonString(String text) {
    return com.fasterxml.jackson.databind.node.TextNode.valueOf(text).toString();
  }

  /** Trusts any certificate: both servers use self-signed ones. */
  private static javax.net.ssl.SSLContext trustAll() {
    try {
      javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
      javax.net.ssl.TrustManager trustAll =
          new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(
                java.security.cert.X509Certificate[] chain, String type) {}

            @Override
            public void checkServerTrusted(
                java.security.cert.X509Certificate[] chain, String type) {}

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
              return new java.security.cert.X509Certificate[0];
            }
          };
      context.init(null, new javax.net.ssl.TrustManager[] {trustAll}, null);
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path csv;

  @BeforeAll
  static void writeLookupData() throws Exception {
    csv = work.resolve("people.csv");
    Files.writeString(
        csv, "id,city,zip\n41,Oslo,0150\n42,\"Krak\u00f3w, PL\",30-001\nundefined,Nowhere,0\n");
    // Files that mb's CSV parser gives up on at the row after 41 (so 42 is never found).
    Files.writeString(work.resolve("ragged.csv"), "id,city\n41,Oslo\n40,Bergen,x\n42,Krakow\n");
    Files.writeString(work.resolve("blank.csv"), "id,city\n41,Oslo\n\n42,Krakow\n");
    Files.writeString(work.resolve("opening.csv"), "id,city\n41,Oslo\n40,Ber\"gen\n42,Krakow\n");
    Files.writeString(
        work.resolve("closing.csv"), "id,city\n41,\"Oslo\"\n40,\"Bergen\"x\n42,Krakow\n");
    Files.writeString(work.resolve("unclosed.csv"), "id,city\n41,Oslo\n42,\"Krakow\n");
  }

  @AfterEach
  void clean() throws Exception {
    for (URI api : List.of(realApi(), ourApi())) {
      send(HttpRequest.newBuilder(api.resolve("/imposters")).DELETE());
    }
  }

  private static URI realApi() {
    return real.client().url();
  }

  private static URI ourApi() {
    return ours.url();
  }

  /** A request to an imposter. */
  record Call(String method, String path, Map<String, String> headers, String body) {
    static Call get(String path) {
      return new Call("GET", path, Map.of(), null);
    }

    static Call post(String path, String contentType, String body) {
      return new Call("POST", path, Map.of("Content-Type", contentType), body);
    }
  }

  static Stream<Arguments> imposters() {
    return Stream.of(
        Arguments.of(
            "is response with headers",
            "{'protocol':'http','stubs':[{'responses':[{'is':{'statusCode':201,'headers':{'X-One':'1','Set-Cookie':['a=1','b=2']},'body':'created'}}]}]}",
            List.of(Call.get("/"))),
        Arguments.of(
            "no stub matches: default response",
            "{'protocol':'http','stubs':[{'predicates':[{'equals':{'path':'/a'}}],'responses':[{'is':{'body':'a'}}]}]}",
            List.of(Call.get("/b"), Call.get("/a"))),
        Arguments.of(
            "object body, defaultResponse and recorded requests",
            "{'protocol':'http','recordRequests':true,'name':'rec','defaultResponse':{'statusCode':404,'body':'none'},"
                + "'stubs':[{'predicates':[{'equals':{'method':'POST','body':{'kind':'cat'}}}],'responses':[{'is':{'body':{'ok':true,'n':[1,2]}}}]}]}",
            List.of(
                Call.post(
                    "/p/a%20th?x=1&x=2&y=&z=+a",
                    "application/json", "{\"kind\":\"CAT\",\"age\":3}"),
                Call.post("/form", "application/x-www-form-urlencoded", "a=1&b=2"),
                Call.get("/x/../y"))),
        Arguments.of(
            "predicates: deepEquals, contains, matches, exists, not, or, and",
            "{'protocol':'http','stubs':["
                + "{'predicates':[{'deepEquals':{'query':{'a':'1'}}}],'responses':[{'is':{'body':'deep'}}]},"
                + "{'predicates':[{'contains':{'body':'needle'}}],'responses':[{'is':{'body':'contains'}}]},"
                + "{'predicates':[{'matches':{'path':'^/user/\\\\d+$'}}],'responses':[{'is':{'body':'matches'}}]},"
                + "{'predicates':[{'exists':{'query':{'flag':true}}}],'responses':[{'is':{'body':'exists'}}]},"
                + "{'predicates':[{'and':[{'startsWith':{'path':'/and'}},{'not':{'endsWith':{'path':'x'}}}]}],'responses':[{'is':{'body':'and'}}]},"
                + "{'predicates':[{'or':[{'equals':{'method':'DELETE'}},{'equals':{'path':'/OR','caseSensitive':true}}]}],'responses':[{'is':{'body':'or'}}]}]}",
            List.of(
                Call.get("/?a=1"),
                Call.get("/?a=1&b=2"),
                Call.post("/", "text/plain", "hay needle hay"),
                Call.get("/user/42"),
                Call.get("/user/x"),
                Call.get("/?flag=on"),
                Call.get("/?flag="),
                Call.get("/and/y"),
                Call.get("/and/x"),
                Call.get("/or"))),
        Arguments.of(
            "jsonpath and xpath selectors, except and caseSensitive",
            "{'protocol':'http','stubs':["
                + "{'predicates':[{'equals':{'body':'ann'},'jsonpath':{'selector':'$.user.name'}}],'responses':[{'is':{'body':'jsonpath'}}]},"
                + "{'predicates':[{'equals':{'body':'two'},'xpath':{'selector':'//item[2]'}}],'responses':[{'is':{'body':'xpath'}}]},"
                + "{'predicates':[{'equals':{'path':'/order/'},'except':'\\\\d+'}],'responses':[{'is':{'body':'except'}}]},"
                + "{'predicates':[{'equals':{'headers':{'X-Case':'Exact'}},'caseSensitive':true}],'responses':[{'is':{'body':'case'}}]}]}",
            List.of(
                Call.post("/", "application/json", "{\"user\":{\"name\":\"Ann\"}}"),
                Call.post("/", "application/xml", "<list><item>One</item><item>Two</item></list>"),
                Call.get("/order/123"),
                new Call("GET", "/case", Map.of("X-Case", "Exact"), null),
                new Call("GET", "/case", Map.of("X-Case", "exact"), null))),
        Arguments.of(
            "response cycling with repeat, and keep-alive",
            "{'protocol':'http','stubs':[{'responses':[{'is':{'statusCode':503},'repeat':2},{'is':{'statusCode':200,'headers':{'Connection':'keep-alive','Content-Length':'1'},'body':'ok'}}]}]}",
            List.of(Call.get("/"), Call.get("/"), Call.get("/"), Call.get("/"))),
        Arguments.of(
            "repeat given as hexadecimal text (twice) and as text that is not a number (never)",
            "{'protocol':'http','stubs':[{'responses':[{'is':{'body':'hex'},'repeat':'0x2'},"
                + "{'is':{'body':'never'},'repeat':'2d'},{'is':{'body':'last'}}]}]}",
            List.of(Call.get("/"), Call.get("/"), Call.get("/"), Call.get("/"))),
        Arguments.of(
            "binary bodies, string status codes, numeric headers, HEAD and faults",
            "{'protocol':'http','stubs':["
                + "{'predicates':[{'equals':{'path':'/bin'}}],'responses':[{'is':{'_mode':'binary','body':'aGVs\\nbG8=','headers':{'X-One':1}}}]},"
                + "{'predicates':[{'equals':{'path':'/status'}}],'responses':[{'is':{'statusCode':'503','body':0}}]},"
                + "{'predicates':[{'equals':{'path':'/garbage'}}],'responses':[{'fault':'RANDOM_DATA_THEN_CLOSE'}]},"
                + "{'predicates':[{'equals':{'path':'/unknown-fault'}}],'responses':[{'fault':'NO_SUCH_FAULT'}]},"
                + "{'responses':[{'is':{'body':'head'}}]}]}",
            List.of(
                Call.get("/bin"),
                Call.get("/status"),
                Call.get("/garbage"),
                Call.get("/unknown-fault"),
                new Call("HEAD", "/", Map.of(), null))),
        Arguments.of(
            "CORS preflight and default headers that are not merged",
            "{'protocol':'http','allowCORS':true,'defaultResponse':{'headers':{'X-Default':'d'},'body':'dflt'},"
                + "'stubs':[{'predicates':[{'equals':{'path':'/own'}}],'responses':[{'is':{'headers':{'X-One':'own'}}}]}]}",
            List.of(
                new Call(
                    "OPTIONS",
                    "/",
                    Map.of(
                        "Origin", "http://app",
                        "Access-Control-Request-Method", "PUT",
                        "Access-Control-Request-Headers", "X-Token"),
                    null),
                Call.get("/own"),
                Call.get("/other"))),
        Arguments.of(
            "JSON bodies: arrays, nested subsets, deepEquals, forms and header existence",
            "{'protocol':'http','stubs':["
                + "{'predicates':[{'equals':{'body':{'tags':['b']}}}],'responses':[{'is':{'body':'array subset'}}]},"
                + "{'predicates':[{'deepEquals':{'body':{'id':1,'tags':['x','y']}}}],'responses':[{'is':{'body':'deep body'}}]},"
                + "{'predicates':[{'equals':{'form':{'user':'ann'}}}],'responses':[{'is':{'body':'form'}}]},"
                + "{'predicates':[{'exists':{'headers':{'X-Token':true}}}],'responses':[{'is':{'body':'token'}}]},"
                + "{'predicates':[{'contains':{'query':{'q':'ar'}}}],'responses':[{'is':{'body':'query array'}}]},"
                + "{'predicates':[{'matches':{'body':'^HELLO'},'except':'\\s+'}],'responses':[{'is':{'body':'except matches'}}]}]}",
            List.of(
                Call.post("/", "application/json", "{\"tags\":[\"a\",\"b\"]}"),
                Call.post("/", "application/json", "{\"tags\":[\"y\",\"x\"],\"id\":1}"),
                Call.post(
                    "/", "application/json", "{\"tags\":[\"y\",\"x\"],\"id\":1,\"more\":true}"),
                Call.post("/", "application/x-www-form-urlencoded", "user=Ann&x=1"),
                new Call("GET", "/", Map.of("X-Token", "t"), null),
                Call.get("/?q=bar&q=foo"),
                Call.post("/", "text/plain", "  hello world"))),
        Arguments.of(
            "https imposter with mutual auth, ciphers and a given PKCS#8 key",
            "{'protocol':'https','mutualAuth':true,'ciphers':'aes128-sha','key':'KEY','cert':'CERT',"
                + "'stubs':[{'responses':[{'is':{'body':'mutual'}}]}]}",
            List.of(Call.get("/"))),
        Arguments.of(
            "https imposter with the built-in certificate",
            "{'protocol':'https','name':'secure','stubs':[{'responses':[{'is':{'body':'over tls'}}]}]}",
            List.of(Call.get("/secure?x=1"))),
        Arguments.of(
            "copy behaviors with regex, jsonpath and xpath, and a CSV lookup",
            "{'protocol':'http','stubs':[{'responses':[{'is':{'statusCode':200,'headers':{'X-Id':'${ID}','${KEY}':'k'},"
                + "'body':{'id':'${ID}','second':'${ID}[1]','name':'${NAME}','tag':'${TAG}[1]','city':'${ROW}[city]',"
                + "'zip':'${ROW}[zip]','missing':'${NONE}'}},"
                + "'behaviors':["
                + "{'copy':{'from':'path','into':'${ID}','using':{'method':'regex','selector':'/users/(\\\\d+)'}}},"
                + "{'copy':{'from':'body','into':'${NAME}','using':{'method':'jsonpath','selector':'$.name'}}},"
                + "{'copy':{'from':{'query':'XML'},'into':'${TAG}','using':{'method':'xpath','selector':'//t'}}},"
                + "{'copy':{'from':{'headers':'x-key'},'into':'${KEY}','using':{'method':'regex','selector':'.+'}}},"
                + "{'copy':{'from':'path','into':'${NONE}','using':{'method':'regex','selector':'nomatch'}}},"
                + "{'lookup':{'key':{'from':'path','using':{'method':'regex','selector':'\\\\d+'}},"
                + "'fromDataSource':{'csv':{'path':'CSV_PATH','keyColumn':'id'}},'into':'${ROW}'}}]}]}]}",
            List.of(
                new Call(
                    "POST",
                    "/users/42?xml=%3Cr%3E%3Ct%3Ea%3C/t%3E%3Ct%3Eb%3C/t%3E%3C/r%3E",
                    Map.of("X-Key", "Hdr", "Content-Type", "application/json"),
                    "{\"name\":\"Ann\"}"))),
        Arguments.of(
            "numbers in object bodies and copied values, printed as JavaScript prints them",
            "{'protocol':'http','recordRequests':true,'stubs':[{'responses':[{'is':{'statusCode':200,"
                + "'body':{'big':12345678.5,'small':0.0001,'tiny':1.5e-10,'huge':1e21,'int':2.0,'min':5e-324,"
                + "'id':'${ID}'}},'behaviors':[{'copy':{'from':'body','into':'${ID}',"
                + "'using':{'method':'jsonpath','selector':'$.n'}}}]}]}]}",
            List.of(Call.post("/", "application/json", "{\"n\":0.0000001}"))),
        Arguments.of(
            "status codes as Node takes them, reason phrases, headers that are not an object",
            "{'protocol':'http','stubs':["
                + "{'predicates':[{'equals':{'path':'/99'}}],'responses':[{'is':{'statusCode':99}}]},"
                + "{'predicates':[{'equals':{'path':'/1000'}}],'responses':[{'is':{'statusCode':'1000'}}]},"
                + "{'predicates':[{'equals':{'path':'/201.5'}}],'responses':[{'is':{'statusCode':201.5}}]},"
                + "{'predicates':[{'equals':{'path':'/text'}}],'responses':[{'is':{'statusCode':'abc'}}]},"
                + "{'predicates':[{'equals':{'path':'/208'}}],'responses':[{'is':{'statusCode':208}}]},"
                + "{'predicates':[{'equals':{'path':'/451'}}],'responses':[{'is':{'statusCode':451}}]},"
                + "{'predicates':[{'equals':{'path':'/599'}}],'responses':[{'is':{'statusCode':599}}]},"
                + "{'predicates':[{'equals':{'path':'/string'}}],'responses':[{'is':{'headers':'x'}}]},"
                + "{'predicates':[{'equals':{'path':'/odd'}}],'responses':[{'is':{'headers':['X-A','1','X-B']}}]},"
                + "{'predicates':[{'equals':{'path':'/array'}}],'responses':[{'is':{'headers':['X-A','1','X-B',2]}}]}]}",
            List.of(
                Call.get("/99"),
                Call.get("/1000"),
                Call.get("/201.5"),
                Call.get("/text"),
                Call.get("/208"),
                Call.get("/451"),
                Call.get("/599"),
                Call.get("/string"),
                Call.get("/odd"),
                Call.get("/array"))),
        Arguments.of(
            "copy edge cases: JSON null, an unmatched group, a scalar body, a missing field",
            "{'protocol':'http','stubs':[{'responses':[{'is':{'body':'n=${N} g=${G} s=${S} m=${M}'},"
                + "'behaviors':["
                + "{'copy':{'from':'body','into':'${N}','using':{'method':'jsonpath','selector':'$.n'}}},"
                + "{'copy':{'from':'path','into':'${G}','using':{'method':'regex','selector':'/(a)|(b)'}}},"
                + "{'copy':{'from':'body','into':'${S}','using':{'method':'jsonpath','selector':'$'}}},"
                + "{'copy':{'from':'body','into':'${M}','using':{'method':'jsonpath','selector':'$.missing'}}}]}]}]}",
            List.of(
                Call.post("/a", "application/json", "{\"n\":null}"),
                Call.post("/b", "application/json", "42"),
                Call.post("/a", "text/plain", "not json"))),
        Arguments.of(
            "copy into keys: renamed keys move to the end, in the order met, a chain included",
            "{'protocol':'http','stubs':[{'responses':[{'is':{'headers':{'X-${K}':'k','X-B':'b'},"
                + "'body':{'${K}':1,'plain':2,'${A}':3,'a':4,'nested':{'${K}':{'${A}':5},'z':6},'list':[{'${K}':7,'y':8}]}},"
                + "'behaviors':["
                + "{'copy':{'from':'path','into':'${K}','using':{'method':'regex','selector':'[a-z]+'}}},"
                + "{'copy':{'from':{'query':'a'},'into':'${A}','using':{'method':'regex','selector':'.+'}}}]}]}]}",
            List.of(Call.get("/a?a=b"), Call.get("/plain?a=a"), Call.get("/q?a=nested"))),
        Arguments.of(
            "copy with xpath: count(), boolean(), an element whose first child is one, a comment",
            "{'protocol':'http','stubs':[{'responses':[{'is':{'body':'c=${C} b=${B} e=${E} m=${M} p=${P}'},'behaviors':["
                + "{'copy':{'from':'body','into':'${C}','using':{'method':'xpath','selector':'count(//t)'}}},"
                + "{'copy':{'from':'body','into':'${B}','using':{'method':'xpath','selector':'boolean(//t)'}}},"
                + "{'copy':{'from':'body','into':'${E}','using':{'method':'xpath','selector':'//a'}}},"
                + "{'copy':{'from':'body','into':'${M}','using':{'method':'xpath','selector':'//comment()'}}},"
                + "{'copy':{'from':'body','into':'${P}','using':{'method':'xpath','selector':'//processing-instruction()'}}}]}]}]}",
            List.of(
                Call.post(
                    "/", "application/xml", "<r><a><t>1</t></a><t>2</t><!--note--><?pi data?></r>"),
                Call.post("/", "application/xml", "<r><a/><t/></r>"))),
        Arguments.of(
            "jsonpath as jsonpath-plus reads it: filters, slices, unions, length, scripts",
            "{'protocol':'http','stubs':[{'responses':[{'is':{'body':'0=${S0}|${S0}[1] 1=${S1}|${S1}[1] 2=${S2}|${S2}[1] 3=${S3}|${S3}[1] 4=${S4}|${S4}[1] 5=${S5}|${S5}[1] 6=${S6}|${S6}[1] 7=${S7}|${S7}[1] 8=${S8}|${S8}[1] 9=${S9}|${S9}[1] 10=${S10}|${S10}[1] 11=${S11}|${S11}[1] 12=${S12}|${S12}[1] 13=${S13}|${S13}[1] 14=${S14}|${S14}[1] 15=${S15}|${S15}[1] 16=${S16}|${S16}[1] 17=${S17}|${S17}[1] 18=${S18}|${S18}[1] 19=${S19}|${S19}[1] 20=${S20}|${S20}[1]'},'behaviors':["
                + "{'copy':{'from':'body','into':'${S0}','using':{'method':'jsonpath','selector':\"$.store.book[?(@.p<10)].t\"}}},"
                + "{'copy':{'from':'body','into':'${S1}','using':{'method':'jsonpath','selector':\"$..t\"}}},"
                + "{'copy':{'from':'body','into':'${S2}','using':{'method':'jsonpath','selector':\"$.n[1:3]\"}}},"
                + "{'copy':{'from':'body','into':'${S3}','using':{'method':'jsonpath','selector':\"$.n[-1:]\"}}},"
                + "{'copy':{'from':'body','into':'${S4}','using':{'method':'jsonpath','selector':\"$.n[-1]\"}}},"
                + "{'copy':{'from':'body','into':'${S5}','using':{'method':'jsonpath','selector':\"$.n[0,2]\"}}},"
                + "{'copy':{'from':'body','into':'${S6}','using':{'method':'jsonpath','selector':\"$.n.length\"}}},"
                + "{'copy':{'from':'body','into':'${S7}','using':{'method':'jsonpath','selector':\"$..[0]\"}}},"
                + "{'copy':{'from':'body','into':'${S8}','using':{'method':'jsonpath','selector':\"store.bike.color\"}}},"
                + "{'copy':{'from':'body','into':'${S9}','using':{'method':'jsonpath','selector':\"$.store.book[?(@.isbn)].t\"}}},"
                + "{'copy':{'from':'body','into':'${S10}','using':{'method':'jsonpath','selector':\"$.store.book[?(@.t==\\\"b\\\")].p\"}}},"
                + "{'copy':{'from':'body','into':'${S11}','using':{'method':'jsonpath','selector':\"$.store.book[?(@.t===\\\"b\\\" && @.p>10)].p\"}}},"
                + "{'copy':{'from':'body','into':'${S12}','using':{'method':'jsonpath','selector':\"$.n[ 1 ]\"}}},"
                + "{'copy':{'from':'body','into':'${S13}','using':{'method':'jsonpath','selector':\"$.store.book.*.t\"}}},"
                + "{'copy':{'from':'body','into':'${S14}','using':{'method':'jsonpath','selector':\"$.n[::2]\"}}},"
                + "{'copy':{'from':'body','into':'${S15}','using':{'method':'jsonpath','selector':\"$.store.book[?(@.p>7 || @.t==\\\"c\\\")].t\"}}},"
                + "{'copy':{'from':'body','into':'${S16}','using':{'method':'jsonpath','selector':\"$.store.book[(@.length-1)].t\"}}},"
                + "{'copy':{'from':'body','into':'${S17}','using':{'method':'jsonpath','selector':\"$.store.book[0][\\\"t\\\"]\"}}},"
                + "{'copy':{'from':'body','into':'${S18}','using':{'method':'jsonpath','selector':\"$.nope\"}}},"
                + "{'copy':{'from':'body','into':'${S19}','using':{'method':'jsonpath','selector':\"$x\"}}},"
                + "{'copy':{'from':'body','into':'${S20}','using':{'method':'jsonpath','selector':\"$.store.book[?(@.p>=8 && !(@.t==\\\"b\\\"))].t\"}}}"
                + "]}]}]}",
            List.of(
                Call.post(
                    "/",
                    "application/json",
                    "{\"store\":{\"book\":[{\"t\":\"a\",\"p\":8,\"tags\":[\"x\"]},{\"t\":\"b\",\"p\":12},{\"t\":\"c\",\"p\":5,\"isbn\":\"1\"}],\"bike\":{\"color\":\"red\",\"p\":19}},\"n\":[1,2,3,4,5]}"))),
        Arguments.of(
            "_behaviors left beside repeat or as an array is ignored",
            "{'protocol':'http','stubs':[{'responses':["
                + "{'is':{'body':'X=${X}'},'repeat':1,'_behaviors':{'copy':[{'from':'path','into':'${X}','using':{'method':'regex','selector':'.+'}}]}},"
                + "{'is':{'body':'Y=${X}'},'_behaviors':[{'copy':{'from':'path','into':'${X}','using':{'method':'regex','selector':'.+'}}}]}]}]}",
            List.of(Call.get("/abc"), Call.get("/abc"))),
        Arguments.of(
            "copy of an unmatched group by index, lookup with a key index beyond the matches",
            "{'protocol':'http','stubs':[{'responses':[{'is':{'body':'g2=${G}[2] g1=${G}[1] city=${ROW}[city]'},"
                + "'behaviors':[{'copy':{'from':'path','into':'${G}','using':{'method':'regex','selector':'/(a)|(b)'}}},"
                + "{'lookup':{'key':{'from':'path','using':{'method':'regex','selector':'\\\\d+'},'index':3},"
                + "'fromDataSource':{'csv':{'path':'CSV_PATH','keyColumn':'id'}},'into':'${ROW}'}}]}]}]}",
            List.of(Call.get("/a/41"))),
        Arguments.of(
            "lookup in CSV files mb's parser gives up on: ragged, blank and badly quoted rows",
            "{'protocol':'http','stubs':[{'responses':[{'is':{'body':'r=${R}[city] b=${B}[city] o=${O}[city] c=${C}[city] u=${U}[city]'},"
                + "'behaviors':["
                + "{'lookup':{'key':{'from':'path','using':{'method':'regex','selector':'\\\\d+'}},'fromDataSource':{'csv':{'path':'CSV_DIR/ragged.csv','keyColumn':'id'}},'into':'${R}'}},"
                + "{'lookup':{'key':{'from':'path','using':{'method':'regex','selector':'\\\\d+'}},'fromDataSource':{'csv':{'path':'CSV_DIR/blank.csv','keyColumn':'id'}},'into':'${B}'}},"
                + "{'lookup':{'key':{'from':'path','using':{'method':'regex','selector':'\\\\d+'}},'fromDataSource':{'csv':{'path':'CSV_DIR/opening.csv','keyColumn':'id'}},'into':'${O}'}},"
                + "{'lookup':{'key':{'from':'path','using':{'method':'regex','selector':'\\\\d+'}},'fromDataSource':{'csv':{'path':'CSV_DIR/closing.csv','keyColumn':'id'}},'into':'${C}'}},"
                + "{'lookup':{'key':{'from':'path','using':{'method':'regex','selector':'\\\\d+'}},'fromDataSource':{'csv':{'path':'CSV_DIR/unclosed.csv','keyColumn':'id'}},'into':'${U}'}}]}]}]}",
            List.of(Call.get("/41"), Call.get("/42"))),
        Arguments.of(
            "xpath predicates mb cannot use: malformed, string(), no selector, a non-object ns",
            "{'protocol':'http','stubs':["
                + "{'predicates':[{'equals':{'body':'x'},'xpath':{'selector':'//['},'caseSensitive':true}],'responses':[{'is':{'body':'malformed'}}]},"
                + "{'predicates':[{'equals':{'body':'a'},'xpath':{'selector':'string(//t)'}}],'responses':[{'is':{'body':'string'}}]},"
                + "{'predicates':[{'equals':{'body':'a'},'xpath':{}}],'responses':[{'is':{'body':'none'}}]},"
                + "{'predicates':[{'equals':{'body':'a'},'xpath':{'selector':'//t','ns':'x'}}],'responses':[{'is':{'body':'ns'}}]}]}",
            List.of(
                Call.post("/", "application/xml", "<r><t>a</t></r>"),
                Call.post("/", "application/xml", "not xml"))),
        Arguments.of(
            "copy with an xpath that gives a string, and with a malformed one",
            "{'protocol':'http','stubs':["
                + "{'predicates':[{'equals':{'path':'/s'}}],'responses':[{'is':{'body':'s=${S}'},'behaviors':["
                + "{'copy':{'from':'body','into':'${S}','using':{'method':'xpath','selector':'string(//t)'}}}]}]},"
                + "{'responses':[{'is':{'body':'m=${M}'},'behaviors':["
                + "{'copy':{'from':'body','into':'${M}','using':{'method':'xpath','selector':'//['}}}]}]}]}",
            List.of(
                Call.post("/s", "application/xml", "<r><t>a</t></r>"),
                Call.post("/m", "application/xml", "<r><t>a</t></r>"),
                Call.post("/s", "text/plain", ""))),
        Arguments.of(
            "_behaviors upcast and wait",
            "{'protocol':'http','stubs':[{'responses':[{'is':{'body':'slow'},'_behaviors':{'wait':20,'repeat':2}}]}]}",
            List.of(Call.get("/"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("imposters")
  void imposters_behave_as_in_mountebank(String name, String imposter, List<Call> calls)
      throws Exception {
    String json =
        imposter
            .replace('\'', '"')
            .replace("CSV_PATH", csv.toString())
            .replace("CSV_DIR", work.toString())
            .replace("\"KEY\"", jsonString(TEST_KEY))
            .replace("\"CERT\"", jsonString(TEST_CERT));
    Side realSide = Side.create(realApi(), json);
    Side ourSide = Side.create(ourApi(), json);
    assertSame(
        name + " POST",
        ourSide.normalize(ourSide.creation.statusCode() + " " + ourSide.creation.body()),
        realSide.normalize(realSide.creation.statusCode() + " " + realSide.creation.body()));

    int i = 0;
    for (Call call : calls) {
      assertSame(
          name + " call " + i++ + " " + call.method() + " " + call.path(),
          ourSide.observe(call),
          realSide.observe(call));
    }

    for (String query : List.of("", "?replayable=true")) {
      assertSame(
          name + " GET imposter" + query,
          ourSide.normalize(ourSide.admin("GET", "/imposters/" + ourSide.port + query, null)),
          realSide.normalize(realSide.admin("GET", "/imposters/" + realSide.port + query, null)));
    }
    assertSame(
        name + " GET imposters",
        ourSide.normalize(ourSide.admin("GET", "/imposters", null)),
        realSide.normalize(realSide.admin("GET", "/imposters", null)));
  }

  static Stream<Arguments> badRequests() {
    return Stream.of(
        Arguments.of("malformed JSON", "POST", "/imposters", "{\"protocol\":"),
        Arguments.of("missing protocol", "POST", "/imposters", "{}"),
        Arguments.of("null protocol", "POST", "/imposters", "{\"protocol\":null}"),
        Arguments.of("numeric protocol", "POST", "/imposters", "{\"protocol\":7}"),
        Arguments.of(
            "unknown protocol and bad port",
            "POST",
            "/imposters",
            "{\"protocol\":\"gopher\",\"port\":70000}"),
        Arguments.of(
            "port as a fraction", "POST", "/imposters", "{\"protocol\":\"http\",\"port\":45.5}"),
        Arguments.of(
            "unknown predicate operator",
            "POST",
            "/imposters",
            "{\"protocol\":\"http\",\"stubs\":[{\"predicates\":[{\"equal\":{\"path\":\"/\"}}],\"responses\":[{\"is\":{}}]}]}"),
        Arguments.of(
            "two response types",
            "POST",
            "/imposters",
            "{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"is\":{},\"fault\":\"CONNECTION_RESET_BY_PEER\"}]}]}"),
        Arguments.of(
            "empty responses",
            "POST",
            "/imposters",
            "{\"protocol\":\"http\",\"stubs\":[{\"responses\":[]}]}"),
        Arguments.of(
            "repeat zero",
            "POST",
            "/imposters",
            "{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"is\":{},\"repeat\":0}]}]}"),
        Arguments.of(
            "injection without --allowInjection",
            "POST",
            "/imposters",
            "{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"inject\":\"function () { return {}; }\"}]}]}"),
        Arguments.of(
            "string wait needs injection",
            "POST",
            "/imposters",
            "{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"is\":{},\"behaviors\":[{\"wait\":\"100\"}]}]}]}"),
        Arguments.of(
            "proxy.to with a path",
            "POST",
            "/imposters",
            "{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"proxy\":{\"to\":\"http://example.test/path\"}}]}]}"),
        Arguments.of(
            "proxy without to",
            "POST",
            "/imposters",
            "{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"proxy\":{}}]}]}"),
        Arguments.of(
            "a predicate that is not an object",
            "POST",
            "/imposters",
            "{\"protocol\":\"http\",\"stubs\":[{\"predicates\":[1],\"responses\":[{\"is\":{}}]}]}"),
        Arguments.of(
            "copy and lookup behaviors missing their fields",
            "POST",
            "/imposters",
            "{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"is\":{},\"behaviors\":["
                + "{\"copy\":{\"from\":{\"a\":1,\"b\":2},\"into\":5,\"using\":{\"method\":\"sql\"}}},"
                + "{\"lookup\":{\"key\":{},\"fromDataSource\":{\"csv\":{}}}},"
                + "{\"wait\":-5},{\"wait\":true},{\"nope\":1},{\"wait\":1,\"copy\":{}}]}]}]}"),
        Arguments.of(
            "port as a bad string",
            "POST",
            "/imposters",
            "{\"protocol\":\"http\",\"port\":\"4552x\"}"),
        Arguments.of("port zero", "POST", "/imposters", "{\"protocol\":\"http\",\"port\":0}"),
        Arguments.of(
            "a stub that is not an object",
            "POST",
            "/imposters",
            "{\"protocol\":\"http\",\"stubs\":[1]}"),
        Arguments.of(
            "a response that is not an object",
            "POST",
            "/imposters",
            "{\"protocol\":\"http\",\"stubs\":[{\"responses\":[1]}]}"),
        Arguments.of(
            "predicates that are not an array",
            "POST",
            "/imposters",
            "{\"protocol\":\"http\",\"stubs\":[{\"predicates\":{},\"responses\":[{\"is\":{}}]}]}"),
        Arguments.of(
            "an or that is not an array",
            "POST",
            "/imposters",
            "{\"protocol\":\"http\",\"stubs\":[{\"predicates\":[{\"or\":{}}],\"responses\":[{\"is\":{}}]}]}"),
        Arguments.of(
            "a regular expression that does not compile",
            "POST",
            "/imposters",
            "{\"protocol\":\"http\",\"stubs\":[{\"predicates\":[{\"matches\":{\"path\":\"(\"}}],\"responses\":[{\"is\":{}}]}]}"),
        Arguments.of(
            "repeat as strings and booleans",
            "POST",
            "/imposters",
            "{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"is\":{},\"repeat\":\"3\"},{\"is\":{},\"repeat\":\"0\"},{\"is\":{},\"repeat\":true}]}]}"),
        Arguments.of(
            "injection in predicates, generators, decorators and end-of-request resolvers",
            "POST",
            "/imposters",
            "{\"protocol\":\"http\",\"endOfRequestResolver\":{\"inject\":\"x\"},\"stubs\":[{\"predicates\":[{\"inject\":\"x\"}],\"responses\":[{\"is\":{}}]},{\"responses\":[{\"proxy\":{\"to\":\"http://a.test\",\"addDecorateBehavior\":\"x\"}}]},{\"responses\":[{\"proxy\":{\"to\":\"http://a.test\",\"predicateGenerators\":[{\"inject\":\"x\"}]}}]},{\"responses\":[{\"is\":{},\"behaviors\":[{\"shellTransform\":\"x\"},{\"decorate\":\"x\"}]}]}]}"),
        Arguments.of(
            "_behaviors with arrays and shellTransform",
            "POST",
            "/imposters",
            "{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"is\":{},\"_behaviors\":{\"copy\":[{\"from\":\"path\",\"into\":\"X\",\"using\":{\"method\":\"regex\",\"selector\":\".\"}}],\"shellTransform\":\"echo\"}},{\"is\":{},\"repeat\":2,\"_behaviors\":{\"wait\":5}}]}]}"),
        Arguments.of("unknown imposter", "GET", "/imposters/1", null),
        Arguments.of("delete unknown imposter", "DELETE", "/imposters/1", null),
        Arguments.of("replace all without imposters", "PUT", "/imposters", "{}"),
        Arguments.of("list when empty", "GET", "/imposters", null),
        Arguments.of(
            "replace all with an invalid one changes nothing",
            "PUT",
            "/imposters",
            "{\"imposters\":[{\"protocol\":\"http\"},{\"protocol\":\"smtpx\"}]}"),
        Arguments.of("unknown route", "GET", "/nothing/here", null),
        Arguments.of("home", "GET", "/", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void the_api_answers_as_mountebank(String name, String method, String path, String body)
      throws Exception {
    Side realSide = new Side(realApi(), 0, null);
    Side ourSide = new Side(ourApi(), 0, null);
    assertSame(
        "api " + name,
        ourSide.normalize(ourSide.admin(method, path, body)),
        realSide.normalize(realSide.admin(method, path, body)));
  }

  @org.junit.jupiter.api.Test
  void replacing_listing_and_deleting_all_imposters_answers_as_mountebank() throws Exception {
    // Two free ports, the higher one first in the request (both servers list imposters by port).
    int low;
    int high;
    try (java.net.ServerSocket a = new java.net.ServerSocket(0);
        java.net.ServerSocket b = new java.net.ServerSocket(0)) {
      low = Math.min(a.getLocalPort(), b.getLocalPort());
      high = Math.max(a.getLocalPort(), b.getLocalPort());
    }
    String imposters =
        "{\"imposters\":[{\"protocol\":\"http\",\"port\":"
            + high
            + ",\"name\":\"b\",\"recordRequests\":true},"
            + "{\"protocol\":\"http\",\"port\":"
            + low
            + ",\"name\":\"a\",\"defaultResponse\":{\"body\":\"x\"},"
            + "\"stubs\":[{\"responses\":[{\"is\":{\"body\":\"a\"}}]}]}]}";
    List<String[]> steps =
        List.of(
            new String[] {"PUT", "/imposters", imposters},
            new String[] {"GET", "/imposters", null},
            new String[] {"GET", "/imposters?replayable=true&removeProxies=true", null},
            new String[] {"GET", "/imposters?removeProxies=true", null},
            new String[] {"DELETE", "/imposters?replayable=false", null},
            new String[] {"PUT", "/imposters", imposters},
            new String[] {"DELETE", "/imposters", null});
    // Both servers must use the same fixed ports, so they take turns.
    List<String> realAnswers = new ArrayList<>();
    Side realSide = new Side(realApi(), 0, null);
    for (String[] step : steps) {
      realAnswers.add(realSide.normalize(realSide.admin(step[0], step[1], step[2])));
    }
    Side ourSide = new Side(ourApi(), 0, null);
    for (int i = 0; i < steps.size(); i++) {
      String[] step = steps.get(i);
      assertSame(
          "all imposters " + i + " " + step[0] + " " + step[1],
          ourSide.normalize(ourSide.admin(step[0], step[1], step[2])),
          realAnswers.get(i));
    }
  }

  static Stream<Arguments> proxies() {
    return Stream.of(
        Arguments.of(
            "proxyOnce with generated predicates",
            "{'proxy':{'to':'ORIGIN','predicateGenerators':[{'matches':{'path':true,'query':{'q':true}},'caseSensitive':true}]}}",
            List.of(
                Call.get("/a?q=1&r=2"),
                Call.get("/a?q=1"),
                Call.get("/b"),
                Call.post("/json", "application/json", "{}"),
                Call.get("/bin"),
                Call.get("/cookies"))),
        Arguments.of(
            "proxy to an https origin",
            "{'proxy':{'to':'HTTPS_ORIGIN','mode':'proxyTransparent'}}",
            List.of(Call.get("/secure"))),
        Arguments.of(
            "proxyAlways with addWaitBehavior",
            "{'proxy':{'to':'ORIGIN','mode':'proxyAlways','addWaitBehavior':true,'predicateGenerators':[{'matches':{'method':true}}]}}",
            List.of(Call.get("/one"), Call.get("/two"), Call.post("/three", "text/plain", "x"))),
        Arguments.of(
            "proxyTransparent with injected headers",
            "{'proxy':{'to':'ORIGIN','mode':'proxyTransparent','injectHeaders':{'X-Injected':'yes'}}}",
            List.of(Call.get("/t"), Call.get("/t"))),
        Arguments.of(
            // (a predicateOperator of exists makes Mountebank 2.9.1's dry run fail: not compared)
            "generators with jsonpath, ignore and operators",
            "{'proxy':{'to':'ORIGIN','predicateGenerators':["
                + "{'matches':{'body':true},'jsonpath':{'selector':'$.id'}},"
                + "{'matches':{'query':true},'ignore':{'query':'page'}},"
                + "{'matches':{'headers':{'X-Kind':true}},'predicateOperator':'equals'}]}}",
            List.of(
                new Call(
                    "POST",
                    "/items?page=2&sort=asc",
                    Map.of("X-Kind", "k", "Content-Type", "application/json"),
                    "{\"id\":7}"),
                new Call(
                    "POST",
                    "/items?page=3&sort=asc",
                    Map.of("X-Kind", "k", "Content-Type", "application/json"),
                    "{\"id\":7}"))),
        Arguments.of(
            "generators with xpath and a nested matcher",
            "{'proxy':{'to':'ORIGIN','predicateGenerators':["
                + "{'matches':{'body':true},'xpath':{'selector':'//id'}},"
                + "{'matches':{'query':{'a':true,'missing':true}}}]}}",
            List.of(Call.post("/x?a=1&b=2", "application/xml", "<doc><id>9</id></doc>"))),
        Arguments.of(
            "injected Host header and an unknown mode",
            "{'proxy':{'to':'ORIGIN','mode':'sometimes','injectHeaders':{'Host':'example.test'}}}",
            List.of(Call.get("/h"), Call.get("/h"))),
        Arguments.of(
            "proxy to a closed port",
            "{'proxy':{'to':'http://127.0.0.1:1'}}",
            List.of(Call.get("/down"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("proxies")
  void proxies_record_and_answer_as_in_mountebank(String name, String response, List<Call> calls)
      throws Exception {
    // Both proxy to the same origin: an imposter on our server.
    Side origin =
        Side.create(
            ourApi(),
            "{\"protocol\":\"http\",\"stubs\":["
                + "{\"predicates\":[{\"equals\":{\"path\":\"/json\"}}],\"responses\":[{\"is\":{\"headers\":{\"Content-Type\":\"application/json\"},\"body\":{\"a\":[1,2]}}}]},"
                + "{\"predicates\":[{\"equals\":{\"path\":\"/bin\"}}],\"responses\":[{\"is\":{\"_mode\":\"binary\",\"headers\":{\"Content-Type\":\"image/png\"},\"body\":\"iVBORw0K\"}}]},"
                + "{\"predicates\":[{\"equals\":{\"path\":\"/cookies\"}}],\"responses\":[{\"is\":{\"headers\":{\"Set-Cookie\":[\"a=1\",\"b=2\"]},\"body\":\"c\"}}]},"
                + "{\"responses\":[{\"is\":{\"statusCode\":201,\"headers\":{\"X-Origin\":\"o\",\"Content-Length\":\"1\"},\"body\":\"from origin\"},\"behaviors\":[{\"wait\":5}]}]}]}");
    Side secureOrigin =
        Side.create(
            ourApi(),
            "{\"protocol\":\"https\",\"stubs\":[{\"responses\":[{\"is\":{\"body\":\"tls origin\"}}]}]}");
    String imposter =
        ("{'protocol':'http','stubs':[{'responses':[" + response + "]}]}")
            .replace('\'', '"')
            .replace("HTTPS_ORIGIN", "https://127.0.0.1:" + secureOrigin.port)
            .replace("ORIGIN", "http://127.0.0.1:" + origin.port);
    Side realSide = Side.create(realApi(), imposter);
    Side ourSide = Side.create(ourApi(), imposter);
    assertSame(
        name + " POST",
        proxied(ourSide.normalize(ourSide.creation.statusCode() + " " + ourSide.creation.body())),
        proxied(
            realSide.normalize(realSide.creation.statusCode() + " " + realSide.creation.body())));
    int i = 0;
    for (Call call : calls) {
      assertSame(
          name + " call " + i++ + " " + call.method() + " " + call.path(),
          proxied(ourSide.observe(call)),
          proxied(realSide.observe(call)));
    }
    for (String path : List.of("", "?replayable=true", "?removeProxies=true")) {
      assertSame(
          name + " GET imposter" + path,
          proxied(
              ourSide.normalize(ourSide.admin("GET", "/imposters/" + ourSide.port + path, null))),
          proxied(
              realSide.normalize(
                  realSide.admin("GET", "/imposters/" + realSide.port + path, null))));
    }
    assertSame(
        name + " DELETE savedProxyResponses",
        proxied(
            ourSide.normalize(
                ourSide.admin(
                    "DELETE", "/imposters/" + ourSide.port + "/savedProxyResponses", null))),
        proxied(
            realSide.normalize(
                realSide.admin(
                    "DELETE", "/imposters/" + realSide.port + "/savedProxyResponses", null))));
  }

  /** What differs by nature in proxied exchanges: times, dates, the origin's port. */
  private static String proxied(String text) {
    return text.replaceAll("\"_proxyResponseTime\": \\d+", "\"_proxyResponseTime\": <ms>")
        .replaceAll("\"wait\": \\d+", "\"wait\": <ms>")
        .replaceAll("\"Date\": \"[^\"]+\"", "\"Date\": <date>")
        .replaceAll("127\\.0\\.0\\.1:\\d{4,5}", "127.0.0.1:<port>")
        // Node's stack trace of the error, which a Java server cannot have.
        .replaceAll(",\"name\":\"Error\",\"stack\":\"(\\\\.|[^\"\\\\])*\"", "");
  }

  static Stream<Arguments> stubEdits() {
    return Stream.of(
        Arguments.of(
            "POST",
            "/stubs",
            "{\"index\":0,\"stub\":{\"responses\":[{\"is\":{\"body\":\"first\"}}]}}"),
        Arguments.of("POST", "/stubs", "{\"stub\":{\"responses\":[{\"is\":{\"body\":\"last\"}}]}}"),
        Arguments.of("POST", "/stubs", "{\"index\":5}"),
        Arguments.of(
            "PUT", "/stubs", "{\"stubs\":[{\"responses\":[{\"is\":{\"body\":\"only\"}}]}]}"),
        Arguments.of("PUT", "/stubs", "{}"),
        Arguments.of(
            "PUT",
            "/stubs",
            "{\"stubs\":[{\"responses\":[]},{\"responses\":[{\"is\":{},\"repeat\":0}]},"
                + "{\"predicates\":[{\"equal\":{}}],\"responses\":[{\"is\":{}}]}]}"),
        Arguments.of(
            "PUT", "/stubs", "{\"stubs\":[{\"responses\":[{\"inject\":\"\",\"is\":{}}]}]}"),
        Arguments.of("PUT", "/stubs/0", "{\"responses\":[{\"is\":{\"body\":\"replaced\"}}]}"),
        Arguments.of("PUT", "/stubs/7", "{\"responses\":[{\"is\":{}}]}"),
        Arguments.of("DELETE", "/stubs/1", null),
        Arguments.of("DELETE", "/stubs/abc", null),
        Arguments.of("DELETE", "/savedRequests", null));
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("stubEdits")
  void stub_edits_answer_as_in_mountebank(String method, String path, String body)
      throws Exception {
    String imposter =
        "{\"protocol\":\"http\",\"stubs\":[{\"responses\":[{\"is\":{\"body\":\"a\"}}]},"
            + "{\"responses\":[{\"is\":{\"body\":\"b\"}}]}]}";
    Side realSide = Side.create(realApi(), imposter);
    Side ourSide = Side.create(ourApi(), imposter);

    String what = "stubs " + method + " " + path + " " + body;
    assertSame(
        what,
        ourSide.normalize(ourSide.admin(method, "/imposters/" + ourSide.port + path, body)),
        realSide.normalize(realSide.admin(method, "/imposters/" + realSide.port + path, body)));
    assertSame(what + " then GET", ourSide.observe(Call.get("/")), realSide.observe(Call.get("/")));
  }

  /**
   * Asserts both texts are equal; writes them to target/differential/ first, so that a difference
   * can be read with diff.
   */
  private static void assertSame(String what, String ours, String mountebank) throws Exception {
    Path directory = Path.of("target", "differential");
    Files.createDirectories(directory);
    String file = what.replaceAll("[^A-Za-z0-9]+", "_");
    Files.writeString(directory.resolve(file + ".mb.txt"), mountebank);
    Files.writeString(directory.resolve(file + ".ours.txt"), ours);
    assertThat(ours).as(what).isEqualTo(mountebank);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** One server under comparison and the imposter created on it. */
  private static final class Side {
    final URI api;
    final int port;
    final HttpResponse<String> creation;
    final String scheme;

    Side(URI api, int port, HttpResponse<String> creation) {
      this.api = api;
      this.port = port;
      this.creation = creation;
      this.scheme =
          creation != null && creation.body().contains("\"protocol\": \"https\"")
              ? "https"
              : "http";
    }

    static Side create(URI api, String imposter) throws Exception {
      HttpResponse<String> created =
          send(
              HttpRequest.newBuilder(api.resolve("/imposters"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(imposter)));
      int port =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(created.body())
              .path("port")
              .asInt();
      return new Side(api, port, created);
    }

    String admin(String method, String path, String body) throws Exception {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(api.resolve(path))
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body));
      if (body != null) {
        request.header("Content-Type", "application/json");
      }
      HttpResponse<String> response = send(request);
      return response.statusCode()
          + " "
          + response.headers().firstValue("Content-Type").orElse("-")
          + "\n"
          + response.body();
    }

    String observe(Call call) throws Exception {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + port + call.path()))
              .method(
                  call.method(),
                  call.body() == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(call.body()));
      call.headers().forEach(request::header);
      HttpResponse<String> response;
      try {
        response = send(request);
      } catch (java.io.IOException e) {
        return "no response: the connection failed";
      }
      List<String> headers = new ArrayList<>();
      for (String name :
          List.of(
              "Connection",
              "Keep-Alive",
              "Content-Type",
              "Content-Length",
              "Set-Cookie",
              "X-One",
              "X-A",
              "X-B")) {
        response.headers().allValues(name).forEach(value -> headers.add(name + ": " + value));
      }
      // Node's stack traces are Node's: only their first line is compared.
      String body = response.body().replaceAll("(\"stack\":\"[^\"\\\\]*)[^\"]*\"", "$1\"");
      return response.statusCode() + " " + headers + "\n" + body;
    }

    /** Replaces what differs by nature between two servers: ports, times, client addresses. */
    String normalize(String text) {
      String result = text;
      if (port > 0) {
        result = result.replaceAll("\\b" + port + "\\b", "<imposter>");
      }
      result = result.replace(":" + api.getPort(), ":<api>");
      result = result.replaceAll("\"timestamp\": \"[^\"]+\"", "\"timestamp\": \"<time>\"");
      result =
          result.replaceAll("-----BEGIN ([A-Z ]+)-----[^\"]*-----END \\1-----\\\\n", "<pem $1>");
      result = result.replaceAll("(::ffff:)?127\\.0\\.0\\.1:\\d+\"", "<client>\"");
      result = result.replace("\"::ffff:127.0.0.1\"", "\"127.0.0.1\"");
      return result;
    }
  }
}
