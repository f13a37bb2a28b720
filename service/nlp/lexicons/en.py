"""English cue phrases; the French twin is ``fr.py`` with the same names."""

SECOND_PERSON = ("you", "your", "yours", "yourself", "you're", "youre", "you've", "youve",
                 "you'd", "you'll", "u", "ur", "y'all", "yall", "you guys")

THANKS = ("thanks", "thank you", "thx", "ty", "tysm", "cheers", "many thanks",
          "much appreciated", "appreciate it", "appreciate that", "grateful")

AGREEMENT = ("i agree", "agreed", "exactly", "absolutely", "so true", "you're right",
             "youre right", "good point", "fair point", "same here", "same", "+1",
             "this", "indeed", "totally", "spot on", "well said", "makes sense", "i second",
             "couldn't agree more", "i'm with you", "yes!")

DISAGREEMENT = ("i disagree", "disagree", "not true", "wrong", "nope", "i don't think",
                "i dont think", "not sure that", "not convinced", "i doubt", "no way",
                "that's not", "thats not", "doesn't follow", "not really", "on the contrary",
                "i'd push back", "respectfully", "not quite", "but")

ACKNOWLEDGEMENT = ("i see", "got it", "ok", "okay", "noted", "fair enough", "good to know",
                   "oh nice", "interesting", "that helps", "makes sense", "understood",
                   "i hear you", "ah", "oh")

GENERIC_PRAISE = ("great post", "great article", "nice post", "nice video", "great video",
                  "love this", "love it", "awesome", "amazing", "nice one", "well done",
                  "great content", "keep it up", "keep up the good work", "so good",
                  "great work", "best video", "love your", "beautiful", "epic", "legend",
                  "fire", "goat")

REASONING = ("because", "since", "so that", "therefore", "however", "although", "though",
             "but", "which means", "that's why", "thats why", "the reason", "as a result",
             "otherwise", "whereas", "on the other hand", "that said", "in fact", "actually",
             "unless", "if", "then", "instead", "due to", "cuz", "coz", "bc")

FIRST_HAND = ("i tried", "i've tried", "ive tried", "we tried", "in my experience",
              "when i", "we had", "i had", "i have", "i've", "ive", "we've", "my kid",
              "my son", "my daughter", "our team", "our club", "at work", "last year",
              "last week", "i used", "i switched", "i found", "i ran", "in our", "for me",
              "i remember", "i did", "we did", "i've been", "i was", "we were")

EXAMPLE = ("for example", "for instance", "e.g", "such as", "like when", "in our case",
           "case in point", "here's how", "step", "first,", "then", "percent", "%")

INVITATION = ("what do you think", "what about you", "anyone else", "has anyone",
              "does anyone", "how about you", "thoughts?", "any thoughts", "curious what",
              "would love to hear", "let me know what you think", "what's your take",
              "how do you", "how did you", "did you", "have you", "can you", "could you",
              "would you", "do you", "are you", "any idea", "any tips", "who else")

QUESTION_OPENERS = ("what", "why", "how", "when", "where", "which", "who", "is it",
                    "is there", "are there", "does", "do", "did", "can", "could", "should",
                    "would", "will", "has", "have", "anyone", "any")

CALL_TO_ACTION = ("check out", "check my", "subscribe", "sub to", "sub 4 sub", "sub4sub",
                  "follow me", "follow my", "follow us", "visit my", "visit our", "visit",
                  "click", "click here", "link in bio", "dm me", "message me", "sign up",
                  "register", "join my", "join our", "buy", "order now", "grab yours",
                  "don't miss", "dont miss", "like and subscribe", "hit the bell",
                  "go to my", "head over", "watch my", "use code", "use my code", "shop",
                  "download", "get yours", "book now", "hire", "contact me",
                  # offers of one's own paid time, with or without a link
                  "spots left", "spots open", "slots left", "slots open", "dm for",
                  "message me", "pm me", "inbox me", "hit me up", "call me", "text me",
                  "reach out", "book a", "book your", "free consultation", "free quote",
                  "get a quote", "last chance", "orders open", "now open for")

PROMO_VOCABULARY = ("discount", "promo", "coupon", "code", "sale", "off", "free", "giveaway",
                    "offer", "deal", "limited", "exclusive", "price", "cheap", "earn",
                    "income", "money", "$", "€", "per day", "per week", "from home",
                    "affiliate", "sponsored", "launch", "new video", "new episode",
                    "new post", "ebook", "course", "webinar", "masterclass", "services",
                    "consulting", "agency", "shipping", "gift card", "followers",
                    "views", "crypto", "bitcoin", "investment", "guaranteed")

OWNERSHIP = ("my channel", "my page", "my site", "my website", "my blog", "my shop",
             "my store", "my business", "my company", "my agency", "my book", "my ebook",
             "my course", "my podcast", "my video", "my videos", "my music", "my app",
             "my product", "my profile", "my instagram", "my insta", "my tiktok",
             "our store", "our shop", "our product", "our app", "our agency", "our new",
             "i sell", "we sell", "i offer", "we offer", "i wrote", "i made", "i just launched",
             "we just launched", "my newsletter", "my services", "my latest", "my workshop",
             "my classes", "my practice", "my salon", "my stall", "my studio", "my rates",
             "my prices", "my number", "my offer", "my program", "my programme",
             "my coaching", "i coach", "my clients", "that's my job")

HEDGE = ("maybe", "perhaps", "i think", "i guess", "probably", "might", "imo", "imho",
         "not sure", "it seems", "i suppose", "kind of", "sort of")

FUNCTION_WORDS = ("the", "and", "is", "are", "was", "to", "of", "in", "that", "it", "for",
                  "on", "with", "this", "not", "have", "be", "i", "you", "we", "they", "my",
                  "at", "but", "what", "so", "if", "just", "do", "from", "or", "an", "a",
                  "as", "all", "can", "about", "would", "there", "their")
