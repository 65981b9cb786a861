package io.charlatan.imposters.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * JSONPath selections, each expected value being what jsonpath-plus 7.2.0 (the library Mountebank
 * 2.9.1 uses) answered for the same selector and document; where it throws, Mountebank selects
 * nothing, which is the {@code []} here.
 */
class JsonPathQueryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DOCUMENT =
      "{\"a\":{\"b\":[{\"c\":1},{\"c\":2}],\"d\":\"x\"},\"e f\":3,\"items\":[{\"id\":1,\"name\":\"ann\",\"price\":\"10\",\"ok\":true,\"tags\":[\"x\",\"y\"]},{\"id\":2,\"name\":\"bob\",\"price\":5,\"ok\":false,\"note\":null},{\"id\":3,\"name\":\"cy\",\"price\":20}],\"limit\":6,\"s\":\"abc\"}";

  static Stream<Arguments> selections() {
    return Stream.of(
        Arguments.of("$['e f']", "[3]"),
        Arguments.of("$[\"a\"].d", "[\"x\"]"),
        Arguments.of("$.a.b[-1].c", "[]"),
        Arguments.of("$.a.b[5]", "[]"),
        Arguments.of("$.a.*", "[[{\"c\":1},{\"c\":2}],\"x\"]"),
        Arguments.of(
            "$..*",
            "[{\"b\":[{\"c\":1},{\"c\":2}],\"d\":\"x\"},3,[{\"id\":1,\"name\":\"ann\",\"price\":\"10\",\"ok\":true,\"tags\":[\"x\",\"y\"]},{\"id\":2,\"name\":\"bob\",\"price\":5,\"ok\":false,\"note\":null},{\"id\":3,\"name\":\"cy\",\"price\":20}],6,\"abc\",[{\"c\":1},{\"c\":2}],\"x\",{\"c\":1},{\"c\":2},1,2,{\"id\":1,\"name\":\"ann\",\"price\":\"10\",\"ok\":true,\"tags\":[\"x\",\"y\"]},{\"id\":2,\"name\":\"bob\",\"price\":5,\"ok\":false,\"note\":null},{\"id\":3,\"name\":\"cy\",\"price\":20},1,\"ann\",\"10\",true,[\"x\",\"y\"],\"x\",\"y\",2,\"bob\",5,false,null,3,\"cy\",20]"),
        Arguments.of("$.a[d]", "[\"x\"]"),
        Arguments.of("$.a.b[*].c", "[1,2]"),
        Arguments.of("$.a[0", "[]"),
        Arguments.of("$x", "[]"),
        Arguments.of("a.d", "[\"x\"]"),
        Arguments.of("['e f']", "[]"),
        Arguments.of("$.items[?(@.id==1)].name", "[\"ann\"]"),
        Arguments.of("$.items[?(@.id===1)].name", "[\"ann\"]"),
        Arguments.of("$.items[?(@.id!=1)].name", "[\"bob\",\"cy\"]"),
        Arguments.of("$.items[?(@.id!==1)].name", "[\"bob\",\"cy\"]"),
        Arguments.of("$.items[?(@.price==10)].name", "[\"ann\"]"),
        Arguments.of("$.items[?(@.price===10)].name", "[]"),
        Arguments.of("$.items[?(@.price<10)].name", "[\"bob\"]"),
        Arguments.of("$.items[?(@.price<=10)].name", "[\"ann\",\"bob\"]"),
        Arguments.of("$.items[?(@.price>10)].name", "[\"cy\"]"),
        Arguments.of("$.items[?(@.price>=10)].name", "[\"ann\",\"cy\"]"),
        Arguments.of("$.items[?(@.ok)].name", "[\"ann\"]"),
        Arguments.of("$.items[?(!@.ok)].name", "[\"bob\",\"cy\"]"),
        Arguments.of("$.items[?(@.ok==false)].name", "[\"bob\"]"),
        Arguments.of("$.items[?(@.note==null)].name", "[\"ann\",\"bob\",\"cy\"]"),
        Arguments.of("$.items[?(@.note===null)].name", "[\"bob\"]"),
        Arguments.of("$.items[?(@.note===undefined)].name", "[\"ann\",\"cy\"]"),
        Arguments.of("$.items[?(@.price > $.limit)].name", "[]"),
        Arguments.of("$.items[?(@.name+'!'=='bob!')].id", "[2]"),
        Arguments.of("$.items[?(@.id-1==1)].name", "[\"bob\"]"),
        Arguments.of("$.items[?(-@.id==-3)].name", "[\"cy\"]"),
        Arguments.of("$.items[?((@.id==1 || @.id==3) && @.price>=10)].name", "[\"ann\",\"cy\"]"),
        Arguments.of("$.items[?(@.name>'b')].name", "[\"bob\",\"cy\"]"),
        Arguments.of("$.items[?(@['name']=='cy')].id", "[3]"),
        Arguments.of("$.items[?(@.tags[0]=='x')].id", "[]"),
        Arguments.of("$.items[?(@.tags && @.tags.length==2)].id", "[1]"),
        Arguments.of("$.items[?(@.id==true)].name", "[\"ann\"]"),
        Arguments.of("$.items[?(@.nope)]", "[]"),
        Arguments.of("$.items[?(@.id==)]", "[]"),
        Arguments.of(
            "$.items[1:]",
            "[{\"id\":2,\"name\":\"bob\",\"price\":5,\"ok\":false,\"note\":null},{\"id\":3,\"name\":\"cy\",\"price\":20}]"),
        Arguments.of("$.items[:-1].id", "[1,2]"),
        Arguments.of("$.items[::2].id", "[1,3]"),
        Arguments.of("$.items[-2:].id", "[2,3]"),
        Arguments.of("$.items[0,2].name", "[\"ann\",\"cy\"]"),
        Arguments.of("$.items[(@.length-1)].name", "[\"cy\"]"),
        Arguments.of("$.items[(@.length-2)].name", "[\"bob\"]"),
        Arguments.of("$.items[0][name,id]", "[\"ann\",1]"),
        Arguments.of("$.s.length", "[3]"),
        Arguments.of("$.s[1]", "[\"b\"]"),
        Arguments.of("$..name", "[\"ann\",\"bob\",\"cy\"]"),
        Arguments.of("$..c", "[1,2]"),
        Arguments.of("$..[1].id", "[2]"),
        Arguments.of("$.items.length", "[3]"),
        Arguments.of("$.items[?(@.price<'6')].name", "[\"ann\",\"bob\"]"),
        Arguments.of("$.items[?(@.id<2.5)].name", "[\"ann\",\"bob\"]"));
  }

  private static final String ITEMS =
      "{\"items\":[{\"id\":1,\"name\":\"ann\",\"price\":\"10\",\"ok\":true,\"o\":{\"k\":1}},{\"id\":2,\"name\":\"bob\",\"price\":5,\"ok\":false,\"note\":null},{\"id\":3,\"name\":\"cy\",\"price\":20,\"o\":{\"k\":1}}]}";

  /** Filter operators and odd slices and scripts, on a second document. */
  static Stream<Arguments> filters() {
    return Stream.of(
        Arguments.of("$.items[?(@.name<='bob')].id", "[1,2]"),
        Arguments.of("$.items[?(@.name>='bob')].id", "[2,3]"),
        Arguments.of("$.items[?(@.name<'bob')].id", "[1]"),
        Arguments.of("$.items[?(@.price>'6')].id", "[3]"),
        Arguments.of("$.items[?(@.id==1.0)].id", "[1]"),
        Arguments.of("$.items[?(@.id==0.5+0.5)].id", "[1]"),
        Arguments.of("$.items[?(@.name+1=='ann1')].id", "[1]"),
        Arguments.of("$.items[?(1+@.id==3)].id", "[2]"),
        Arguments.of("$.items[?(@.ok===true)].id", "[1]"),
        Arguments.of("$.items[?(@.ok!==false)].id", "[1,3]"),
        Arguments.of("$.items[?(@.note!=null)].id", "[]"),
        Arguments.of("$.items[?(@.note!==null)].id", "[1,3]"),
        Arguments.of("$.items[?(@.nope===undefined)].id", "[1,2,3]"),
        Arguments.of("$.items[?(@.o==@.o)].id", "[1,2,3]"),
        Arguments.of("$.items[?(@.o=='[object Object]')].id", "[1,3]"),
        Arguments.of("$.items[?(@.o)].id", "[1,3]"),
        Arguments.of("$.items[?(@.price)].id", "[1,2,3]"),
        Arguments.of("$.items[?(@.name=='')].id", "[]"),
        Arguments.of("$.items[?(!(@.id>1))].id", "[1]"),
        Arguments.of("$.items[?(@.id>1 && @.id<3 || @.id==1)].id", "[1,2]"),
        Arguments.of("$.items[?(@.name==\"bob\")].id", "[2]"),
        Arguments.of("$.items[?(@.name=='bob)].id", "[]"),
        Arguments.of("$.items[?((@.id==1)].id", "[]"),
        Arguments.of("$.items[?(@.id==1 @)].id", "[]"),
        Arguments.of("$.items[?(@.ok==1)].id", "[1]"),
        Arguments.of("$.items[?(@.ok==0)].id", "[2]"),
        Arguments.of("$.items[?(@.note==0)].id", "[]"),
        Arguments.of("$.items[?(@.price=='5')].id", "[2]"),
        Arguments.of("$.items[?(-@.name)].id", "[]"),
        Arguments.of("$.items[?(@.id==-1+2)].id", "[1]"),
        Arguments.of("$.items[?(@.id - 1)].id", "[2,3]"),
        Arguments.of("$.items[?(@.nope > 1)].id", "[]"),
        Arguments.of("$.items[?(null)].id", "[]"),
        Arguments.of("$.items[?(true)].id", "[1,2,3]"),
        Arguments.of("$.items[?(undefined)].id", "[]"),
        Arguments.of("$.items[1:2:0].id", "[2]"),
        Arguments.of("$.items[1:2:3:4].id", "[]"),
        Arguments.of("$.items[a:b].id", "[]"),
        Arguments.of("$.items[(@.length)].name", "[]"),
        Arguments.of("$.items[(@.nope)].name", "[]"),
        Arguments.of("$.items.*.name", "[\"ann\",\"bob\",\"cy\"]"),
        Arguments.of("$..o.k", "[1,1]"),
        Arguments.of("$..*.k", "[1,1]"),
        Arguments.of("$.items[2][name]", "[\"cy\"]"),
        Arguments.of("$.items[name,id]", "[]"));
  }

  @ParameterizedTest(name = "{0} selects {1}")
  @MethodSource("filters")
  void filters_as_jsonpath_plus_filters(String selector, String expected) throws Exception {
    JsonNode document = JSON.readTree(ITEMS);

    assertThat(JSON.valueToTree(JsonPathQuery.select(selector, document)).toString())
        .isEqualTo(JSON.readTree(expected).toString());
  }

  @ParameterizedTest(name = "{0} selects {1}")
  @MethodSource("selections")
  void selects_what_jsonpath_plus_selects(String selector, String expected) throws Exception {
    JsonNode document = JSON.readTree(DOCUMENT);

    assertThat(JSON.valueToTree(JsonPathQuery.select(selector, document)).toString())
        .isEqualTo(JSON.readTree(expected).toString());
  }
}
