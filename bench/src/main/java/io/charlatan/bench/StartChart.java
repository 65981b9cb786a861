package io.charlatan.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A grouped bar chart of times on a linear scale drawn with Java2D into a PNG: one bar per series
 * (its median) with a whisker up to its p90.
 */
final class StartChart {
  private static final Color[] COLORS = {
    new Color(150, 150, 150),
    new Color(230, 120, 40),
    new Color(40, 110, 200),
    new Color(90, 170, 90),
    new Color(150, 90, 180)
  };

  private StartChart() {}

  /**
   * Writes the chart.
   *
   * @param medians per group, one value per series, in milliseconds
   * @param p90s per group, one value per series, in milliseconds
   */
  static void write(
      Path file,
      String title,
      List<String> groups,
      List<String> series,
      List<double[]> medians,
      List<double[]> p90s)
      throws IOException {
    int width = 1000;
    int height = 480;
    int left = 70;
    int right = width - 20;
    int top = 50;
    int bottom = height - 80;
    double max = 0;
    for (double[] row : p90s) {
      for (double v : row) {
        max = Math.max(max, v);
      }
    }
    double step = niceStep(max / 6);
    double high = Math.ceil(max / step) * step;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString(title, left, 28);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (double tick = 0; tick <= high + 1e-9; tick += step) {
      int y = y(tick, high, top, bottom);
      g.setColor(new Color(225, 225, 225));
      g.drawLine(left + 1, y, right, y);
      g.setColor(Color.BLACK);
      g.drawString(String.format(Locale.ROOT, "%.0f ms", tick), 8, y + 4);
    }
    g.drawLine(left, bottom, right, bottom);
    g.drawLine(left, top, left, bottom);
    int group = (right - left - 10) / groups.size();
    int bar = Math.min(50, (group - 30) / series.size());
    for (int k = 0; k < groups.size(); k++) {
      int x0 = left + 15 + k * group;
      for (int s = 0; s < series.size(); s++) {
        double median = medians.get(k)[s];
        double p90 = p90s.get(k)[s];
        int x = x0 + s * bar;
        int y = y(median, high, top, bottom);
        g.setColor(COLORS[s % COLORS.length]);
        g.fillRect(x, y, bar - 6, bottom - y);
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1.5f));
        int whisker = y(p90, high, top, bottom);
        int middle = x + (bar - 6) / 2;
        g.drawLine(middle, y, middle, whisker);
        g.drawLine(middle - 5, whisker, middle + 5, whisker);
        g.setStroke(new BasicStroke(1));
        g.drawString(String.format(Locale.ROOT, "%.0f", median), x, whisker - 4);
      }
      g.drawString(groups.get(k), x0, bottom + 18);
    }
    for (int s = 0; s < series.size(); s++) {
      g.setColor(COLORS[s % COLORS.length]);
      g.fillRect(left + s * 200, height - 30, 14, 14);
      g.setColor(Color.BLACK);
      g.drawString(series.get(s), left + 20 + s * 200, height - 18);
    }
    g.dispose();
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    ImageIO.write(image, "png", file.toFile());
  }

  private static int y(double v, double high, int top, int bottom) {
    return bottom - (int) Math.round((bottom - top) * v / high);
  }

  private static double niceStep(double raw) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double factor : new double[] {1, 2, 5, 10}) {
      if (factor * magnitude >= raw) {
        return factor * magnitude;
      }
    }
    return 10 * magnitude;
  }
}
