package io.charlatan.backing;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** A PATH-like list of directories. */
final class SearchPath {
  private SearchPath() {}

  /** The directories of the list, in order, without empty entries. */
  static List<String> directories(String searchPath) {
    List<String> directories = new ArrayList<>();
    int start = 0;
    while (start <= searchPath.length()) {
      int end = searchPath.indexOf(File.pathSeparatorChar, start);
      if (end < 0) {
        end = searchPath.length();
      }
      if (end > start) {
        directories.add(searchPath.substring(start, end));
      }
      start = end + 1;
    }
    return directories;
  }
}
