package dev.captioner.serving;

/** Attention maps were asked of a model whose decoder does not attend (an fc7 LSTM). */
public class NoAttentionException extends RuntimeException {

    public NoAttentionException(String message) {
        super(message);
    }
}
