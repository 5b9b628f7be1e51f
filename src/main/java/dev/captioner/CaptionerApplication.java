package dev.captioner;

import dev.captioner.cli.CaptionerCommand;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class CaptionerApplication {

    /** Every command, the web service ({@code serve}, the default) among them: see {@link CaptionerCommand}. */
    public static void main(String[] args) {
        int exit = CaptionerCommand.execute(CaptionerApplication.class, args);
        if (exit != CaptionerCommand.SERVING) {
            System.exit(exit);
        }
    }
}
