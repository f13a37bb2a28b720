"""French cue phrases (European and Québécois); the English twin is ``en.py``."""

SECOND_PERSON = ("tu", "toi", "te", "t'", "ton", "ta", "tes", "vous", "votre", "vos", "t'as",
                 "ta raison", "tas", "vs", "tse")

THANKS = ("merci", "mercii", "merci beaucoup", "mille mercis", "mci", "thx", "je te remercie",
          "je vous remercie", "remerciements", "reconnaissant", "reconnaissante")

AGREEMENT = ("d'accord", "je suis d'accord", "tout a fait", "exactement", "exact",
             "c'est vrai", "trop vrai", "tellement vrai", "t'as raison", "vous avez raison",
             "tu as raison", "bien dit", "je plussoie", "+1", "pareil", "moi aussi",
             "je te rejoins", "je vous rejoins", "clairement", "carrement", "absolument",
             "effectivement", "bon point", "en effet", "ben oui", "mets-en", "certain")

DISAGREEMENT = ("pas d'accord", "je ne suis pas d'accord", "faux", "n'importe quoi",
                "pas du tout", "pas vraiment", "je doute", "je ne pense pas",
                "je pense pas", "pas convaincu", "pas convaincue", "au contraire",
                "non,", "nan", "bof", "pantoute", "pas sur que", "je nuancerais", "mais")

ACKNOWLEDGEMENT = ("je vois", "ok", "d'acc", "dac", "compris", "note", "bien note",
                   "bon a savoir", "ah", "oh", "interessant", "ca aide", "je comprends",
                   "entendu", "ok merci", "c'est note")

GENERIC_PRAISE = ("super article", "super video", "super post", "bel article", "top",
                  "genial", "trop bien", "j'adore", "magnifique", "bravo", "excellent",
                  "chapeau", "continue comme ca", "continuez comme ca", "trop fort", "incroyable",
                  "la meilleure", "le meilleur", "masterclass", "ouf", "c'est malade",
                  "trop beau", "beau travail", "merci pour le partage")

REASONING = ("parce que", "car", "puisque", "donc", "pourtant", "cependant", "toutefois",
             "mais", "alors", "c'est pourquoi", "ce qui fait que", "en effet", "par contre",
             "sinon", "alors que", "tandis que", "du coup", "a cause de", "grace a",
             "si", "en fait", "a condition", "d'ailleurs", "pcq", "parce qu", "vu que")

FIRST_HAND = ("j'ai essaye", "on a essaye", "nous avons", "chez nous", "dans mon experience",
              "quand j'", "j'avais", "j'ai eu", "on avait", "mon fils", "ma fille", "mes enfants",
              "mon equipe", "notre club", "au travail", "l'an dernier", "l'annee derniere",
              "la semaine derniere", "j'ai teste", "j'ai utilise", "je suis passe",
              "perso", "personnellement", "pour moi", "je me souviens", "j'ai fait",
              "on a fait", "j'ai", "on a", "j'etais", "nous etions", "de mon cote")

EXAMPLE = ("par exemple", "ex:", "comme quand", "dans notre cas", "notamment", "tel que",
           "telle que", "voici comment", "etape", "d'abord", "ensuite", "pour cent", "%")

INVITATION = ("qu'en pensez-vous", "qu'en penses-tu", "et vous", "et toi", "quelqu'un",
              "des avis", "vos avis", "ton avis", "votre avis", "vous en pensez quoi",
              "t'en penses quoi", "qui a deja", "avez-vous", "as-tu", "tu as deja",
              "vous avez deja", "pourriez-vous", "pourrais-tu", "peux-tu", "pouvez-vous",
              "des idees", "des conseils", "qui d'autre", "savez-vous", "sais-tu")

QUESTION_OPENERS = ("quoi", "pourquoi", "comment", "quand", "ou", "quel", "quelle",
                    "quels", "quelles", "qui", "est-ce", "est-ce que", "combien", "c'est quoi",
                    "y a-t-il", "existe-t-il", "peut-on", "faut-il", "quelqu'un", "tu",
                    "vous")

CALL_TO_ACTION = ("abonnez-vous", "abonne-toi", "abonnez vous", "abonne toi", "abonn*",
                  "allez voir", "va voir", "venez voir", "viens voir", "suivez-moi",
                  "suivez moi", "suis-moi", "cliquez", "clique", "lien en bio",
                  "lien dans ma bio", "ecrivez-moi", "contactez-moi", "mp moi", "inscrivez-vous",
                  "inscris-toi", "rejoignez", "achetez", "commandez", "profitez",
                  "ne ratez pas", "likez", "like et abonne", "activez la cloche",
                  "passez sur", "passe sur", "regardez ma", "utilisez le code", "code promo",
                  "telechargez", "reservez", "decouvrez", "visitez", "visite mon",
                  # offers of one's own paid time, with or without a link
                  "il me reste", "places disponibles", "creneaux disponibles", "devis gratuit",
                  "faire un devis", "sur rendez-vous", "prenez rendez-vous", "prenez rdv",
                  "en mp", "en prive", "ecris-moi", "ecris moi", "envoyez-moi", "appelez-moi",
                  "appelez moi", "n'hesitez pas a me contacter", "me contacter",
                  "derniere chance", "inscriptions ouvertes", "commandes ouvertes")

PROMO_VOCABULARY = ("promo", "reduction", "rabais", "soldes", "solde", "code", "gratuit",
                    "gratuite", "offert", "offre", "concours", "cadeau", "limite", "exclusif",
                    "prix", "pas cher", "gagner", "revenu", "argent", "$", "€", "par jour",
                    "par semaine", "depuis chez", "de la maison", "affiliation", "sponsorise",
                    "lancement", "nouvelle video", "nouvel episode", "nouvel article",
                    "ebook", "formation", "webinaire", "masterclass", "services", "conseil",
                    "agence", "livraison", "carte cadeau", "abonnes", "vues", "crypto",
                    "bitcoin", "investissement", "garanti")

OWNERSHIP = ("ma chaine", "ma page", "mon site", "mon site web", "mon blog", "ma boutique",
             "mon magasin", "mon entreprise", "ma compagnie", "mon agence", "mon livre",
             "mon ebook", "ma formation", "mon podcast", "ma video", "mes videos",
             "ma musique", "mon appli", "mon application", "mon produit", "mon profil",
             "mon insta", "mon instagram", "mon tiktok", "notre boutique", "notre magasin",
             "notre produit", "notre appli", "notre agence", "notre nouveau", "notre nouvelle",
             "je vends", "nous vendons", "on vend", "je propose", "nous proposons",
             "j'ai ecrit", "j'ai cree", "je viens de lancer", "on vient de lancer",
             "ma newsletter", "mes services", "mon dernier", "ma derniere", "mon atelier",
             "mes ateliers", "mes cours", "mon cabinet", "mon salon", "mon stand",
             "mes creations", "mes produits", "mes tarifs", "mon numero", "mon offre",
             "mon accompagnement", "mon coaching", "c'est mon metier",
             "je realise", "j'accompagne")

HEDGE = ("peut-etre", "je pense", "je crois", "probablement", "il me semble", "a mon avis",
         "selon moi", "pas sur", "pas sure", "j'imagine", "en quelque sorte", "un peu")

FUNCTION_WORDS = ("le", "la", "les", "de", "des", "du", "un", "une", "et", "est", "en",
                  "que", "qui", "pour", "pas", "dans", "sur", "au", "aux", "ce", "il", "elle",
                  "je", "tu", "nous", "vous", "on", "ne", "avec", "mais", "ou", "son", "sa",
                  "ses", "mon", "ma", "c'est", "j'ai", "a", "plus", "tres")
