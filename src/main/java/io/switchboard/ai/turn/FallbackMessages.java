package io.switchboard.ai.turn;

/**
 * What the customer reads when the AI cannot answer (fallback) or hands over (transition), in the
 * organization's language. Agents and organizations may configure their own.
 */
final class FallbackMessages {

    private FallbackMessages() {
    }

    static String fallback(String locale) {
        if (isSpanish(locale)) {
            return "Disculpa, tuve un problema para responder ahora. Ya llamé a una persona de nuestro equipo, que seguirá con tu atención en un momento.";
        }
        return isPortuguese(locale)
                ? "Desculpe, tive um problema para responder agora. Já chamei uma pessoa da nossa equipe, que vai continuar o seu atendimento em instantes."
                : "Sorry, I ran into a problem answering just now. I've asked a person from our team to take over, and they'll be with you shortly.";
    }

    static String transition(String locale) {
        if (isSpanish(locale)) {
            return "Te voy a pasar con una persona de nuestro equipo. Un momento, por favor.";
        }
        return isPortuguese(locale)
                ? "Vou transferir você para uma pessoa da nossa equipe. Só um instante, por favor."
                : "I'm handing you over to a person from our team. One moment, please.";
    }

    private static boolean isSpanish(String locale) {
        return locale != null && locale.toLowerCase().startsWith("es");
    }

    private static boolean isPortuguese(String locale) {
        return locale == null || locale.toLowerCase().startsWith("pt");
    }
}
