package dev.captioner.upload;

/** An upload the service will not take, with the status, problem type and words to answer it with. */
public class UploadRejectedException extends RuntimeException {

    private final int status;
    private final String type;

    public UploadRejectedException(int status, String type, String detail) {
        super(detail);
        this.status = status;
        this.type = type;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }
}
