package io.charlatan.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A grouped bar chart drawn with Java2D into a PNG, on a logarithmic scale so that figures two
 * orders of magnitude apart stay readable. A NaN value draws no bar (a figure with no counterpart).
 */
final class BarChart {
  private static final Color[] COLORS = {
    new Color(40, 110, 200), new Color(230, 120, 40), new Color(90, 170, 90)
  };

  private BarChart() {}

  /**
   * Writes the chart.
   *
   * @param file the PNG
   * @param title the title line
   * @param unit the unit printed after each value
   * @param groups one label per group (a {@code \n} breaks it)
   * @param series one name per series
   * @param values values[series][group]
   */
  static void write(
      Path file,
      String title,
      String unit,
      List<String> groups,
      List<String> series,
      double[][] values)
      throws IOException {
    int width = Math.max(900, 150 * groups.size() + 120);
    int height = 460;
    int left = 80;
    int right = width - 20;
    int top = 50;
    int bottom = height - 110;
    double max = 0;
    double min = Double.MAX_VALUE;
    for (double[] row : values) {
      for (double v : row) {
        if (!Double.isNaN(v) && v > 0) {
          max = Math.max(max, v);
          min = Math.min(min, v);
        }
      }
    }
    double low = Math.pow(10, Math.floor(Math.log10(min)));
    double high = Math.pow(10, Math.ceil(Math.log10(max * 1.01)));
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(title, left, 28);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.setStroke(new BasicStroke(1));
    for (double tick = low; tick <= high * 1.0001; tick *= 10) {
      int y = y(tick, low, high, top, bottom);
      g.setColor(new Color(225, 225, 225));
      g.drawLine(left + 1, y, right, y);
      g.setColor(Color.BLACK);
      g.drawString(format(tick) + " " + unit, 8, y + 4);
    }
    g.drawLine(left, bottom, right, bottom);
    g.drawLine(left, top, left, bottom);
    int group = (right - left - 10) / groups.size();
    int bar = Math.min(60, (group - 20) / series.size());
    for (int k = 0; k < groups.size(); k++) {
      int x0 = left + 10 + k * group;
      for (int s = 0; s < series.size(); s++) {
        double v = values[s][k];
        if (Double.isNaN(v) || v <= 0) {
          continue;
        }
        int y = y(v, low, high, top, bottom);
        int x = x0 + s * bar;
        g.setColor(COLORS[s % COLORS.length]);
        g.fillRect(x, y, bar - 4, bottom - y);
        g.setColor(Color.BLACK);
        g.drawString(format(v), x, y - 4);
      }
      List<String> label = List.of(groups.get(k).split("\n", -1));
      for (int line = 0; line < label.size(); line++) {
        g.drawString(label.get(line), x0, bottom + 18 + 15 * line);
      }
    }
    for (int s = 0; s < series.size(); s++) {
      g.setColor(COLORS[s % COLORS.length]);
      g.fillRect(left + s * 260, height - 30, 14, 14);
      g.setColor(Color.BLACK);
      g.drawString(series.get(s), left + 20 + s * 260, height - 18);
    }
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }

  private static int y(double v, double low, double high, int top, int bottom) {
    double share = (Math.log10(v) - Math.log10(low)) / (Math.log10(high) - Math.log10(low));
    return bottom - (int) Math.round((bottom - top) * share);
  }

  private static String format(double v) {
    if (v >= 10_000) {
      return String.format(Locale.ROOT, "%.1fk", v / 1000);
    }
    if (v >= 10) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    return String.format(Locale.ROOT, "%.2g", v);
  }
}
