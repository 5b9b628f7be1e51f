package dev.captioner.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Addresses of the admin pages, which are static files under {@code static/admin/ui/}: short paths forward to them
 * (the caption page is {@code static/index.html}, Spring Boot's welcome page at {@code /}).
 */
@Configuration(proxyBeanMethods = false)
class PageRoutes implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/admin/ui", "/admin/ui/");
        registry.addViewController("/admin/ui/").setViewName("forward:/admin/ui/index.html");
        registry.addViewController("/admin/ui/login").setViewName("forward:/admin/ui/login.html");
        registry.addViewController("/admin/ui/job").setViewName("forward:/admin/ui/job.html");
    }
}
