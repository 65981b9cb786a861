package io.charlatan.das.store;

import java.io.ByteArrayOutputStream;
import java.util.List;

/** JSON arrays made of JSON texts already written, without parsing them again. */
final class JsonArrays {
  private JsonArrays() {}

  /** {@code [e1,e2,...]} of the given JSON texts (each a value, or several separated by commas). */
  static byte[] join(List<byte[]> elements) {
    int size = 2 + elements.size();
    for (byte[] element : elements) {
      size += element.length;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    out.write('[');
    for (int i = 0; i < elements.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.writeBytes(elements.get(i));
    }
    out.write(']');
    return out.toByteArray();
  }
}
