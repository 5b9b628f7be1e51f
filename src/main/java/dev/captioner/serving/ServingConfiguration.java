package dev.captioner.serving;

import dev.captioner.config.CaptionerProperties;
import dev.captioner.metrics.ActivationMeters;
import dev.captioner.metrics.CaptionMeters;
import dev.captioner.metrics.EncoderMeters;
import dev.captioner.metrics.RefusalMeters;
import dev.captioner.store.ModelStore;
import dev.captioner.vision.ImageDecoder;
import dev.captioner.vision.Vgg16Fc7Encoder;
import dev.captioner.weights.ImagenetWeights;
import dev.captioner.weights.WeightsSettings;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

@Configuration(proxyBeanMethods = false)
public class ServingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ServingConfiguration.class);

    @Bean
    ModelStore modelStore(CaptionerProperties properties) {
        return new ModelStore(properties.modelsDir());
    }

    @Bean
    ImagenetWeights imagenetWeights(CaptionerProperties properties) {
        return WeightsSettings.imagenet(properties);
    }

    @Bean
    @ConditionalOnMissingBean
    EncoderFactory encoderFactory(ImagenetWeights imagenet) {
        return (weights, layer) -> Vgg16Fc7Encoder.create(weights, layer, imagenet);
    }

    @Bean
    ModelRuntime modelRuntime(ModelStore store, EncoderFactory encoderFactory, CaptionerProperties properties,
                              MeterRegistry meters) {
        return new ModelRuntime(store, encoderFactory, properties, new ActivationMeters(meters));
    }

    @Bean
    ImageDecoder imageDecoder(CaptionerProperties properties) {
        return new ImageDecoder(properties.maxPixels());
    }

    @Bean
    ServingLoad servingLoad() {
        return new ServingLoad();
    }

    @Bean(destroyMethod = "close")
    IdleMemoryRelease idleMemoryRelease(ServingLoad load, CaptionerProperties properties, MeterRegistry meters) {
        return new IdleMemoryRelease(load, properties.memory().releaseAfterIdle(), meters);
    }

    @Bean(destroyMethod = "close")
    EncoderBatcher encoderBatcher(CaptionerProperties properties, MeterRegistry meters) {
        CaptionerProperties.Batching batching = properties.batching();
        return new EncoderBatcher(batching.queueCapacity(), batching.maxBatch(), batching.maxWait(),
                batching.maxQueueWait(), new EncoderMeters(meters, batching.maxBatch()));
    }

    /** The 503s by reason: the service's own (CaptionService) and the upload slots' (upload.BodyReceiver). */
    @Bean
    RefusalMeters refusalMeters(MeterRegistry meters) {
        return new RefusalMeters(meters, CaptionService.refusalReasons());
    }

    @Bean
    CaptionService captionService(ImageDecoder imageDecoder, ModelRuntime runtime, ServingLoad load,
                                  EncoderBatcher batcher, CaptionerProperties properties, MeterRegistry meters,
                                  RefusalMeters refusals) {
        long inFlight = Math.max(properties.batching().maxPixelsInFlight(), properties.maxPixels());
        return new CaptionService(imageDecoder, runtime, load, batcher,
                new DecodeAdmission(Math.min(inFlight, Integer.MAX_VALUE)), properties.batching().maxExpectedWait(),
                new CaptionMeters(meters), refusals);
    }

    /** Started once the model recorded at startup is loaded (below); web service only: commands use one model. */
    @Bean(destroyMethod = "close")
    @ConditionalOnWebApplication
    ModelFollower modelFollower(ModelRuntime runtime, CaptionerProperties properties) {
        return new ModelFollower(runtime, properties.models().followInterval());
    }

    /** Starts loading the active model as soon as the model runtime exists (web service only, as below). */
    @Bean
    @ConditionalOnWebApplication
    StartupModelLoad startupModelLoad(ModelRuntime runtime, ModelStore store) {
        return new StartupModelLoad(runtime, store);
    }

    /** Runs before the application reports ready, so readiness stays DOWN until the model is loaded. */
    @Bean
    @Order(0)
    @ConditionalOnWebApplication
    ApplicationRunner loadActiveModel(StartupModelLoad load, ModelRuntime runtime, CaptionerProperties properties,
                                      ModelFollower follower) {
        return args -> {
            if (!load.await() && properties.weights().fetchOnStartup()) {
                new StartupWeightsFetch(runtime, WeightsSettings.sources(properties.weights()),
                        WeightsSettings.fetchSettings(properties.weights()),
                        WeightsSettings.installDir(properties.dataDir())).start();
            }
            follower.start();
        };
    }
}
