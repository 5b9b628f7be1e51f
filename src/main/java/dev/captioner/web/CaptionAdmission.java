package dev.captioner.web;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import dev.captioner.serving.CaptionService;
import dev.captioner.serving.ModelUnavailableException;
import dev.captioner.serving.ServiceBusyException;
import dev.captioner.upload.EarlyRefusal;
import org.springframework.stereotype.Component;

/**
 * A caption request the service would refuse as busy (or with no model) is refused before its image is received:
 * under overload, clients that retry at once then cost a request line, not an upload and a decode each.
 */
@Component
class CaptionAdmission implements EarlyRefusal {

    private final CaptionService captionService;

    CaptionAdmission(CaptionService captionService) {
        this.captionService = captionService;
    }

    @Override
    public Optional<Refusal> refusalOf(HttpServletRequest request) {
        // a batch is refused when not even one image would find room; whether all of them do is known once its
        // body has arrived and the images are counted (CaptionService.captionEach)
        if (!"POST".equals(request.getMethod()) || !(CaptionController.PATH.equals(request.getRequestURI())
                || CaptionBatchController.PATH.equals(request.getRequestURI()))) {
            return Optional.empty();
        }
        try {
            captionService.refuseIfBusy();
            return Optional.empty();
        } catch (ServiceBusyException e) {
            return Optional.of(new Refusal(503, ApiExceptionHandler.busyType(e), e.getMessage(),
                    (int) e.retryAfterSeconds()));
        } catch (ModelUnavailableException e) {
            return Optional.of(new Refusal(503, ApiExceptionHandler.NO_ACTIVE_MODEL, e.getMessage(),
                    Integer.parseInt(ApiExceptionHandler.RETRY_AFTER_SECONDS)));
        }
    }
}
