/// The short page a person sees after opening a login link in a browser.
enum LoginPage {
    static func approved(email: String) -> String {
        page(
            title: "Signed in",
            text: "You are signed in as \(escape(email)). Go back to the app: it finishes signing in by itself.")
    }

    static func failed(_ message: String) -> String {
        page(title: "Sign-in failed", text: escape(message))
    }

    private static func page(title: String, text: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
        <title>\(title)</title></head>
        <body style="font-family: system-ui, sans-serif; max-width: 32em; margin: 4em auto; padding: 0 1em">
        <h1>\(title)</h1><p>\(text)</p></body></html>
        """
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
