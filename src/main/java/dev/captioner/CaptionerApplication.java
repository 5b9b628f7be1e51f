package dev.captioner;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class CaptionerApplication {

    public static void main(String[] args) {
        if (args.length > 0 && CommandLine.isCommand(args[0])) {
            System.exit(CommandLine.run(args));
        }
        SpringApplication.run(CaptionerApplication.class, args);
    }
}
