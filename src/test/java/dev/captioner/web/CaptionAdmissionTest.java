package dev.captioner.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;

import dev.captioner.serving.CaptionService;
import dev.captioner.serving.ServiceBusyException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** A busy service refuses caption requests, single and batch, from their headers; other requests pass. */
class CaptionAdmissionTest {

    private final CaptionService busy = mock(CaptionService.class);

    CaptionAdmissionTest() {
        doThrow(new ServiceBusyException(ServiceBusyException.Reason.QUEUE_FULL, "the service is busy", 1))
                .when(busy).refuseIfBusy();
    }

    @Test
    void singleAndBatchCaptionRequestsAreRefusedEarly() {
        CaptionAdmission admission = new CaptionAdmission(busy);
        for (String path : new String[] {"/api/v1/captions", "/api/v1/captions:batch"}) {
            assertThat(admission.refusalOf(new MockHttpServletRequest("POST", path))).as(path)
                    .hasValueSatisfying(refusal -> assertThat(refusal.status()).isEqualTo(503));
        }
        assertThat(admission.refusalOf(new MockHttpServletRequest("GET", "/api/v1/captions:batch"))).isEmpty();
        assertThat(admission.refusalOf(new MockHttpServletRequest("POST", "/admin/training-jobs"))).isEmpty();
    }
}
