package dev.wagateway.web.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wagateway.web.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

  @Test
  void onlyTheFirstFrameCarriesTheIntroHeader() {
    FrameCodec codec = new FrameCodec();
    assertThat(codec.encode(new byte[] {1})).containsExactly('W', 'A', 6, 3, 0, 0, 1, 1);
    assertThat(codec.encode(new byte[] {2, 3})).containsExactly(0, 0, 2, 2, 3);
  }

  @Property(tries = 200)
  void framesSurviveAnySplitOfTheStream(@ForAll @Size(max = 12) List<@Size(max = 3000) byte[]> payloads,
      @ForAll @IntRange(min = 1, max = 500) int chunk) {
    FrameCodec sender = new FrameCodec();
    sender.encode(new byte[0]); // consume the intro header: the server side never sees it here
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    for (byte[] p : payloads) {
      stream.writeBytes(sender.encode(p));
    }
    byte[] all = stream.toByteArray();
    FrameCodec receiver = new FrameCodec();
    List<byte[]> got = new ArrayList<>();
    for (int i = 0; i < all.length; i += chunk) {
      got.addAll(receiver.feed(Arrays.copyOfRange(all, i, Math.min(all.length, i + chunk))));
    }
    assertThat(got).hasSize(payloads.size());
    for (int i = 0; i < payloads.size(); i++) {
      assertThat(got.get(i)).isEqualTo(payloads.get(i));
    }
    assertThat(receiver.pendingBytes()).isZero();
  }

  @Test
  void anOversizedFrameIsRefusedBeforeItIsBuffered() {
    FrameCodec codec = new FrameCodec(1024);
    assertThatThrownBy(() -> codec.feed(new byte[] {0, 4, 1}))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("1025 bytes exceeds the limit of 1024");
    assertThatThrownBy(() -> new FrameCodec(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> codec.encode(new byte[1025])).isInstanceOf(IllegalArgumentException.class);
  }
}
