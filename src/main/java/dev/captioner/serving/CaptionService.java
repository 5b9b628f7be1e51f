package dev.captioner.serving;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;

import dev.captioner.language.CaptionOptions;
import dev.captioner.language.Captioner;
import dev.captioner.vision.ImageDecoder;

/** Image bytes in, captions out: decode, encode with VGG16, generate with the model's decoder. */
public class CaptionService {

    private final ImageDecoder imageDecoder;
    private final ModelRuntime runtime;
    private final ServingLoad load;
    private final EncoderBatcher batcher;
    private final DecodeAdmission admission;
    private final Duration maxExpectedWait;

    public CaptionService(ImageDecoder imageDecoder, ModelRuntime runtime, ServingLoad load, EncoderBatcher batcher,
                          DecodeAdmission admission, Duration maxExpectedWait) {
        this.imageDecoder = imageDecoder;
        this.runtime = runtime;
        this.load = load;
        this.batcher = batcher;
        this.admission = admission;
        this.maxExpectedWait = maxExpectedWait;
    }

    public CaptionResult caption(byte[] imageBytes, CaptionOptions options) {
        load.enter();
        try {
            return captionNow(imageBytes, options);
        } finally {
            load.exit();
        }
    }

    private CaptionResult captionNow(byte[] imageBytes, CaptionOptions options) {
        ActiveModel active = runtime.require();
        if (options.attention() && !active.model().hasAttention()) {
            throw new NoAttentionException("the active model '" + active.model().id() + "' has no attention (its "
                    + "decoder is '" + active.model().decoder().kind() + "', one vector per image): attention maps "
                    + "need a model with an attention decoder; leave out attention=true");
        }
        long start = System.nanoTime();
        // the cheap refusals first: a request with no place in the encoder's queue (full, or too long a wait),
        // or whose decode does not fit now, costs a header read, not a decode
        try (EncoderBatcher.Place place = batcher.reserve(maxExpectedWait)) {
            BufferedImage image;
            try (DecodeAdmission.Permit permit = admission.admit(imageDecoder.probe(imageBytes).pixels())) {
                image = imageDecoder.decode(imageBytes);
            }
            long decoded = System.nanoTime();
            float[] features = place.encode(active.encoder(), image);
            long encoded = System.nanoTime();
            List<Captioner.Caption> captions = active.model().captioner().captions(features, options);
            long generated = System.nanoTime();
            return new CaptionResult(captions, active.model().id(), active.encoder().id(),
                    millis(decoded - start), millis(encoded - decoded), millis(generated - encoded),
                    active.model().decoder().grid());
        }
    }

    /**
     * The refusals a caption request would meet before its decode (no active model, no place in the encoder's
     * queue), for a request whose body has not arrived yet: refused now, it is not received for nothing.
     */
    public void refuseIfBusy() {
        runtime.require();
        batcher.refuseIfBusy(maxExpectedWait);
    }

    private static long millis(long nanos) {
        return Math.round(nanos / 1e6);
    }
}
