package dev.captioner.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Title and summary of the OpenAPI description served at {@code /v3/api-docs}. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI captionerOpenApi() {
        return new OpenAPI().info(new Info()
                .title("captioner")
                .version("v1")
                .description("Image captioning: VGG16 fc7 features and an LSTM decoder. POST an image to "
                        + "/api/v1/captions; errors are RFC 9457 application/problem+json."));
    }
}
