package io.charlatan.backing;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL refuses to run as root. When the test JVM is root, its commands run as the
 * unprivileged user {@code nobody} (group {@code nogroup}) through util-linux's {@code setpriv},
 * and the directories they write are handed to that user.
 */
final class Unprivileged {
  static final String USER = "nobody";
  static final String GROUP = "nogroup";

  private Unprivileged() {}

  /** Whether this JVM runs as root (uid 0). */
  static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          // "Uid:\t<real>\t<effective>...": the real user id comes first.
          return line.substring(4).strip().startsWith("0\t")
              || line.substring(4).strip().equals("0");
        }
      }
    } catch (IOException | RuntimeException notLinux) {
      // Elsewhere, the user name is the best hint.
    }
    return "root".equals(System.getProperty("user.name"));
  }

  /** The command, run as the unprivileged user when this JVM is root. */
  static List<String> command(boolean root, List<String> command) {
    if (!root) {
      return command;
    }
    Path setpriv = Path.of("/usr/bin/setpriv");
    if (!Files.isExecutable(setpriv)) {
      throw new BackingServiceException(
          "PostgreSQL refuses to run as root, and this JVM is root: install util-linux (for"
              + " /usr/bin/setpriv, to run it as '"
              + USER
              + "'), or run the tests as an ordinary user");
    }
    List<String> wrapped = new ArrayList<>();
    wrapped.add(setpriv.toString());
    wrapped.add("--reuid=" + USER);
    wrapped.add("--regid=" + GROUP);
    wrapped.add("--clear-groups");
    wrapped.add("--");
    wrapped.addAll(command);
    return wrapped;
  }

  /** Gives a directory and everything in it to the unprivileged user, when this JVM is root. */
  static void handOver(boolean root, Path directory) {
    if (!root) {
      return;
    }
    try {
      UserPrincipalLookupService lookup = directory.getFileSystem().getUserPrincipalLookupService();
      UserPrincipal user = lookup.lookupPrincipalByName(USER);
      GroupPrincipal group = lookup.lookupPrincipalByGroupName(GROUP);
      Files.walkFileTree(
          directory,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes)
                throws IOException {
              own(dir);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                throws IOException {
              own(file);
              return FileVisitResult.CONTINUE;
            }

            private void own(Path path) throws IOException {
              PosixFileAttributeView view =
                  Files.getFileAttributeView(
                      path, PosixFileAttributeView.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
              view.setOwner(user);
              view.setGroup(group);
            }
          });
    } catch (IOException e) {
      throw new BackingServiceException(
          "cannot give "
              + directory
              + " to the user '"
              + USER
              + "' (PostgreSQL refuses to run as root): "
              + e.getMessage()
              + "; run the tests as an ordinary user",
          e);
    }
  }
}
