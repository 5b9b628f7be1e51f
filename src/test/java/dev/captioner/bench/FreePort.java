package dev.captioner.bench;

import java.io.IOException;
import java.net.ServerSocket;

/** Prints a TCP port that is free right now, for {@code bench/run} to start the service on. */
public final class FreePort {

    public static void main(String[] args) throws IOException {
        System.out.println(find());
    }

    static int find() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
