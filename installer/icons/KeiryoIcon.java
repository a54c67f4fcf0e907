import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Draws the Keiryo icon (a small network with some connections pruned away: "light weight") and
 * writes every file the installers need, with no tool beyond the JDK:
 * PNGs for Linux and the app, a Windows .ico and a macOS .icns (both simply containers of images).
 *
 * <pre>java installer/icons/KeiryoIcon.java [repo root]</pre>
 */
public class KeiryoIcon {

    static final int[] PNG_SIZES = {16, 24, 32, 48, 64, 128, 256, 512, 1024};
    static final int[] ICO_SIZES = {16, 24, 32, 48, 64, 128, 256};

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        Path pngDir = root.resolve("assets/icons");
        Files.createDirectories(pngDir);
        for (int s : PNG_SIZES) {
            ImageIO.write(draw(s), "png", pngDir.resolve("keiryo-" + s + ".png").toFile());
        }
        Files.createDirectories(root.resolve("installer/linux"));
        ImageIO.write(draw(256), "png", root.resolve("installer/linux/keiryo-workbench.png").toFile());
        Files.createDirectories(root.resolve("installer/windows"));
        Files.write(root.resolve("installer/windows/keiryo.ico"), ico());
        Files.createDirectories(root.resolve("installer/macos"));
        Files.write(root.resolve("installer/macos/keiryo.icns"), icns());
    }

    /** The design is drawn on a 100-unit grid; small sizes get fewer, thicker elements to stay legible. */
    static BufferedImage draw(int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        double u = size / 100.0;
        boolean small = size <= 32;

        // a rounded square with a little margin (macOS and GNOME icons are not edge to edge)
        double m = small ? 2 : 6;
        g.setPaint(new GradientPaint(0, 0, new Color(0x14, 0xB8, 0xA6), (float) size, (float) size, new Color(0x0F, 0x3D, 0x5C)));
        g.fill(new RoundRectangle2D.Double(m * u, m * u, (100 - 2 * m) * u, (100 - 2 * m) * u, 22 * u, 22 * u));

        double[][] layers = small
                ? new double[][] {{32, 68}, {50}, {32, 68}}
                : new double[][] {{27, 50, 73}, {36, 64}, {27, 50, 73}};
        double[] xs = small ? new double[] {26, 50, 74} : new double[] {24, 50, 76};
        double r = small ? 8.5 : 6.5;

        // connections: kept ones solid, pruned ones faint, so the picture says "fewer weights"
        float kept = (float) ((small ? 6.5 : 3.6) * u);
        float pruned = (float) (Math.max(1, 2.0 * u));
        for (int l = 0; l + 1 < layers.length; l++) {
            for (int a = 0; a < layers[l].length; a++) {
                for (int b = 0; b < layers[l + 1].length; b++) {
                    boolean isPruned = !small && (a + b + l) % 2 == 1;
                    if (isPruned && size < 64) {
                        continue;
                    }
                    g.setStroke(new BasicStroke(isPruned ? pruned : kept, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                    g.setColor(isPruned ? new Color(255, 255, 255, 70) : new Color(255, 255, 255, 235));
                    g.draw(new Line2D.Double(xs[l] * u, layers[l][a] * u, xs[l + 1] * u, layers[l + 1][b] * u));
                }
            }
        }
        for (int l = 0; l < layers.length; l++) {
            for (double y : layers[l]) {
                g.setColor(Color.WHITE);
                g.fill(new Ellipse2D.Double((xs[l] - r) * u, (y - r) * u, 2 * r * u, 2 * r * u));
                if (!small) {
                    double ir = r * 0.45;
                    g.setColor(new Color(0xF5, 0x9E, 0x0B));
                    g.fill(new Ellipse2D.Double((xs[l] - ir) * u, (y - ir) * u, 2 * ir * u, 2 * ir * u));
                }
            }
        }
        g.dispose();
        return img;
    }

    static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /** ICO: 32-bit DIB entries up to 128 px (read by every Windows resource tool), PNG for 256. */
    static byte[] ico() throws IOException {
        List<byte[]> images = new ArrayList<>();
        for (int s : ICO_SIZES) {
            images.add(s >= 256 ? png(draw(s)) : dib(draw(s)));
        }
        ByteBuffer head = ByteBuffer.allocate(6 + 16 * images.size()).order(ByteOrder.LITTLE_ENDIAN);
        head.putShort((short) 0).putShort((short) 1).putShort((short) images.size());
        int offset = 6 + 16 * images.size();
        for (int i = 0; i < images.size(); i++) {
            int s = ICO_SIZES[i];
            head.put((byte) (s >= 256 ? 0 : s)).put((byte) (s >= 256 ? 0 : s)).put((byte) 0).put((byte) 0);
            head.putShort((short) 1).putShort((short) 32).putInt(images.get(i).length).putInt(offset);
            offset += images.get(i).length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(head.array());
        for (byte[] b : images) {
            out.write(b);
        }
        return out.toByteArray();
    }

    static byte[] dib(BufferedImage img) {
        int s = img.getWidth();
        int maskRow = ((s + 31) / 32) * 4;
        ByteBuffer b = ByteBuffer.allocate(40 + s * s * 4 + maskRow * s).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(40).putInt(s).putInt(2 * s).putShort((short) 1).putShort((short) 32)
                .putInt(0).putInt(s * s * 4).putInt(0).putInt(0).putInt(0).putInt(0);
        for (int y = s - 1; y >= 0; y--) {
            for (int x = 0; x < s; x++) {
                int argb = img.getRGB(x, y);
                b.put((byte) argb).put((byte) (argb >> 8)).put((byte) (argb >> 16)).put((byte) (argb >>> 24));
            }
        }
        // the AND mask stays all zero: the alpha channel above is what Windows uses
        return b.array();
    }

    /** ICNS: PNG payloads under the types macOS 10.7+ reads (ic11..ic14 are the @2x variants). */
    static byte[] icns() throws IOException {
        String[] types = {"ic11", "ic12", "ic07", "ic13", "ic08", "ic14", "ic09", "ic10"};
        int[] sizes = {32, 64, 128, 256, 256, 512, 512, 1024};
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(body);
        for (int i = 0; i < types.length; i++) {
            byte[] p = png(draw(sizes[i]));
            d.writeBytes(types[i]);
            d.writeInt(8 + p.length);
            d.write(p);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(out);
        o.writeBytes("icns");
        o.writeInt(8 + body.size());
        o.write(body.toByteArray());
        return out.toByteArray();
    }
}
