package dev.captioner.serving;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;

import dev.captioner.language.CaptionGenerator;
import dev.captioner.language.GeneratedCaption;
import dev.captioner.language.LstmNextWordModel;
import dev.captioner.store.CaptionModel;
import dev.captioner.vision.ImageDecoder;

/** Image bytes in, captions out: decode, encode with VGG16, generate with the LSTM. */
public class CaptionService {

    private final ImageDecoder imageDecoder;
    private final ModelRuntime runtime;
    private final ServingLoad load;
    private final EncoderBatcher batcher;

    public CaptionService(ImageDecoder imageDecoder, ModelRuntime runtime, ServingLoad load, EncoderBatcher batcher) {
        this.imageDecoder = imageDecoder;
        this.runtime = runtime;
        this.load = load;
        this.batcher = batcher;
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
        long start = System.nanoTime();
        BufferedImage image = imageDecoder.decode(imageBytes);
        long decoded = System.nanoTime();
        float[] features = batcher.encode(active.encoder(), image);
        long encoded = System.nanoTime();
        List<CaptionResult.Caption> captions = generate(active.model(), features, options);
        long generated = System.nanoTime();
        return new CaptionResult(captions, active.model().id(), active.encoder().id(),
                millis(decoded - start), millis(encoded - decoded), millis(generated - encoded));
    }

    /** Captions for a feature vector; shared with offline tools that encode images themselves. */
    public static List<CaptionResult.Caption> generate(CaptionModel model, float[] features, CaptionOptions options) {
        List<GeneratedCaption> generated = LstmNextWordModel.generate(model.decoder(), features, next -> switch (options.mode()) {
            case BEAM -> CaptionGenerator.beamSearch(next, options.beamSize(), options.n(), options.maxLength());
            case GREEDY -> List.of(CaptionGenerator.greedy(next, options.maxLength()));
            case SAMPLE -> CaptionGenerator.sample(next, options.n(), options.temperature(), options.maxLength(),
                    options.seed() == null ? new Random() : new Random(options.seed()));
        });
        return generated.stream().map(g -> {
            List<String> tokens = model.vocabulary().decode(g.words());
            return new CaptionResult.Caption(String.join(" ", tokens), tokens, g.logProbability(), g.probability(),
                    g.complete());
        }).toList();
    }

    private static long millis(long nanos) {
        return Math.round(nanos / 1e6);
    }
}
