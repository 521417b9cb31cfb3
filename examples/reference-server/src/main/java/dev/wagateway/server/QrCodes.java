package dev.wagateway.server;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import javax.imageio.ImageIO;

/** Renders a pairing QR code (ZXing) as a PNG or as text made of Unicode half blocks. */
final class QrCodes {
  private QrCodes() {}

  static BitMatrix matrix(String content, int size) {
    try {
      return new QRCodeWriter().encode(content, BarcodeFormat.QR_CODE, size, size,
          Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.L, EncodeHintType.MARGIN, 2));
    } catch (WriterException e) {
      throw new IllegalArgumentException("the QR content cannot be encoded", e);
    }
  }

  static byte[] png(String content, int size) {
    BitMatrix m = matrix(content, size);
    BufferedImage img = new BufferedImage(m.getWidth(), m.getHeight(), BufferedImage.TYPE_BYTE_BINARY);
    for (int y = 0; y < m.getHeight(); y++) {
      for (int x = 0; x < m.getWidth(); x++) {
        img.setRGB(x, y, m.get(x, y) ? 0xFF000000 : 0xFFFFFFFF);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** One character per module column and two module rows per line, for a terminal. */
  static String text(String content) {
    BitMatrix m = matrix(content, 0); // size 0: one pixel per module
    StringBuilder sb = new StringBuilder();
    for (int y = 0; y < m.getHeight(); y += 2) {
      for (int x = 0; x < m.getWidth(); x++) {
        boolean top = m.get(x, y);
        boolean bottom = y + 1 < m.getHeight() && m.get(x, y + 1);
        sb.append(top && bottom ? '█' : top ? '▀' : bottom ? '▄' : ' ');
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
