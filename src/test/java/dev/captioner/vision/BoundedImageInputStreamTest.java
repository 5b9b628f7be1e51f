package dev.captioner.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;

import javax.imageio.IIOException;

import org.junit.jupiter.api.Test;

class BoundedImageInputStreamTest {

    private static final byte[] BYTES = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

    @Test
    void readsSeeksAndReportsTheEnd() throws IOException {
        BoundedImageInputStream stream = new BoundedImageInputStream(BYTES, 100);
        byte[] buffer = new byte[4];

        assertThat(stream.length()).isEqualTo(10);
        assertThat(stream.read()).isEqualTo(1);
        assertThat(stream.read(buffer, 0, 4)).isEqualTo(4);
        assertThat(buffer).containsExactly(2, 3, 4, 5);
        stream.seek(8);
        assertThat(stream.read(buffer, 1, 3)).isEqualTo(2);
        assertThat(buffer).containsExactly(2, 9, 10, 5);
        assertThat(stream.read()).isEqualTo(-1);
        assertThat(stream.read(buffer, 0, 4)).isEqualTo(-1);
        stream.seek(20);
        assertThat(stream.read()).isEqualTo(-1);
    }

    @Test
    void stopsADecoderThatKeepsReadingTheSameBytes() throws IOException {
        BoundedImageInputStream stream = new BoundedImageInputStream(BYTES, 25);
        byte[] buffer = new byte[10];

        stream.readFully(buffer);
        stream.seek(0);
        stream.readFully(buffer);
        stream.seek(0);

        assertThatThrownBy(() -> stream.readFully(buffer)).isInstanceOf(IIOException.class)
                .hasMessage("the decoder read more than 25 bytes from a 10-byte image; the data is treated as malformed");
    }

    @Test
    void stopsADecoderThatKeepsAskingPastTheEnd() throws IOException {
        BoundedImageInputStream stream = new BoundedImageInputStream(BYTES, 1000);
        stream.seek(10);

        assertThatThrownBy(() -> {
            while (true) {
                stream.read();
            }
        }).isInstanceOf(IIOException.class);
    }

    @Test
    void refusesToReadOnceClosed() throws IOException {
        BoundedImageInputStream stream = new BoundedImageInputStream(BYTES, 100);
        stream.close();

        assertThatThrownBy(stream::read).isInstanceOf(IOException.class);
    }
}
