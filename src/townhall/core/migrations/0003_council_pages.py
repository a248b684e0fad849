"""Seed the council's own pages: accessibility statement, privacy notice, cookies and contact.

The texts are written for any council running Townhall and name it "the council"; an
administrator adapts them in the admin (Pages). Existing pages with these addresses are
left alone, so a council's own edits survive a re-run; the reverse removes only the four.
"""

from django.db import migrations

ACCESSIBILITY_EN = """
This accessibility statement applies to this website, which the council runs using Townhall.

We want as many people as possible to be able to use this website. For example, that means you should be able to:

- change colours, contrast levels and fonts using your browser or device settings
- zoom in up to 400% without the text spilling off the screen
- navigate most of the website using just a keyboard or speech recognition software
- listen to most of the website using a screen reader (including the most recent versions of JAWS, NVDA and VoiceOver)
- use every page in English or in Welsh

We have also made the text on the website as simple as possible to understand.

[AbilityNet](https://mcmw.abilitynet.org.uk/) has advice on making your device easier to use if you have a disability.

## How accessible this website is

Every page works without JavaScript. Where we show a chart, the same figures are given in a table. Where we show a map, the same places are listed beside it.

We know some parts of this website are not fully accessible:

- the map images themselves come from a map tile service and cannot be read by a screen reader, but every place on a map is also listed in text
- some documents we link to, especially older PDF documents, are not fully accessible to screen reader software

## Feedback and contact information

If you need information on this website in a different format, such as accessible PDF, large print, easy read, audio recording or braille, [contact the council](/contact/). Tell us the web address of the page, your name and email address, and the format you need.

We will consider your request and get back to you within 10 working days.

## Reporting accessibility problems with this website

We are always looking to improve the accessibility of this website. If you find any problems not listed on this page or think we are not meeting accessibility requirements, [contact the council](/contact/).

## Enforcement procedure

The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the "accessibility regulations"). If you are not happy with how we respond to your complaint, contact the [Equality Advisory and Support Service (EASS)](https://www.equalityadvisoryservice.com/).

If you are in Northern Ireland and are not happy with how we respond to your complaint you can contact the [Equality Commission for Northern Ireland](https://www.equalityni.org/Home), who are responsible for enforcing the accessibility regulations in Northern Ireland.

## Technical information about this website's accessibility

The council is committed to making its website accessible, in accordance with the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018.

### Compliance status

This website is partially compliant with the [Web Content Accessibility Guidelines version 2.2](https://www.w3.org/TR/WCAG22/) AA standard, due to the non-compliances listed below.

## Non-accessible content

The content listed below is non-accessible for the following reasons.

### Non-compliance with the accessibility regulations

Map tiles are images without a text alternative (WCAG 2.2 success criterion 1.1.1, non-text content). We give the places shown on every map as a list or table, so no information is only on the map.

### Disproportionate burden

We are not currently claiming that any accessibility problems would be a disproportionate burden to fix.

### Content that's not within the scope of the accessibility regulations

Many of our older PDF and Word documents do not meet accessibility standards. The accessibility regulations do not require us to fix PDFs or other documents published before 23 September 2018 if they are not essential to providing our services. Any new documents we publish will meet accessibility standards.

## What we're doing to improve accessibility

Every public page of this website, in English and Welsh, signed in and signed out, is checked automatically against WCAG 2.2 A and AA with axe-core each time the software changes. We fix any problem we find before the change is released, and we review the documents we publish.

## Preparation of this accessibility statement

This statement was prepared on 25 November 2026. It was last reviewed on 25 November 2026.

This website was last tested on 25 November 2026 against the WCAG 2.2 AA standard. The test was carried out by the Townhall project, using automated testing of every page and manual testing with a keyboard and a screen reader.
"""

ACCESSIBILITY_CY = """
Mae'r datganiad hygyrchedd hwn yn berthnasol i'r wefan hon, y mae'r cyngor yn ei rhedeg gan ddefnyddio Townhall.

Rydym eisiau i gynifer o bobl â phosibl allu defnyddio'r wefan hon. Er enghraifft, mae hynny'n golygu y dylech allu:

- newid lliwiau, lefelau cyferbyniad a ffontiau gan ddefnyddio gosodiadau eich porwr neu'ch dyfais
- chwyddo hyd at 400% heb i'r testun ddisgyn oddi ar y sgrin
- llywio'r rhan fwyaf o'r wefan gan ddefnyddio bysellfwrdd neu feddalwedd adnabod lleferydd yn unig
- gwrando ar y rhan fwyaf o'r wefan gan ddefnyddio darllenydd sgrin (gan gynnwys fersiynau diweddaraf JAWS, NVDA a VoiceOver)
- defnyddio pob tudalen yn Gymraeg neu yn Saesneg

Rydym hefyd wedi gwneud y testun ar y wefan mor syml â phosibl i'w ddeall.

Mae gan [AbilityNet](https://mcmw.abilitynet.org.uk/) gyngor ar wneud eich dyfais yn haws i'w defnyddio os oes gennych anabledd.

## Pa mor hygyrch yw'r wefan hon

Mae pob tudalen yn gweithio heb JavaScript. Lle rydym yn dangos siart, rydym hefyd yn rhoi'r un ffigurau mewn tabl. Lle rydym yn dangos map, rydym yn rhestru'r un lleoedd wrth ei ochr.

Rydym yn gwybod nad yw rhai rhannau o'r wefan hon yn gwbl hygyrch:

- daw delweddau'r map eu hunain o wasanaeth teils map ac ni all darllenydd sgrin eu darllen, ond mae pob lle ar fap hefyd wedi'i restru fel testun
- nid yw rhai dogfennau rydym yn cysylltu â nhw, yn enwedig hen ddogfennau PDF, yn gwbl hygyrch i feddalwedd darllen sgrin

## Adborth a gwybodaeth gyswllt

Os oes arnoch angen gwybodaeth ar y wefan hon mewn fformat gwahanol, fel PDF hygyrch, print bras, fformat hawdd ei ddeall, recordiad sain neu braille, [cysylltwch â'r cyngor](/cy/contact/). Dywedwch wrthym beth yw cyfeiriad gwe'r dudalen, eich enw a'ch cyfeiriad e-bost, a'r fformat sydd ei angen arnoch.

Byddwn yn ystyried eich cais ac yn cysylltu â chi cyn pen 10 diwrnod gwaith.

## Rhoi gwybod am broblemau hygyrchedd gyda'r wefan hon

Rydym bob amser yn ceisio gwella hygyrchedd y wefan hon. Os byddwch yn dod o hyd i unrhyw broblemau nad ydynt wedi'u rhestru ar y dudalen hon, neu os ydych o'r farn nad ydym yn bodloni'r gofynion hygyrchedd, [cysylltwch â'r cyngor](/cy/contact/).

## Y drefn orfodi

Y Comisiwn Cydraddoldeb a Hawliau Dynol (EHRC) sy'n gyfrifol am orfodi Rheoliadau Hygyrchedd Cyrff Sector Cyhoeddus (Gwefannau a Rhaglenni Symudol) (Rhif 2) 2018 (y "rheoliadau hygyrchedd"). Os nad ydych yn fodlon ar y ffordd rydym yn ymateb i'ch cwyn, cysylltwch â'r [Gwasanaeth Cynghori a Chymorth Cydraddoldeb (EASS)](https://www.equalityadvisoryservice.com/).

Os ydych yng Ngogledd Iwerddon ac nad ydych yn fodlon ar y ffordd rydym yn ymateb i'ch cwyn, gallwch gysylltu â [Chomisiwn Cydraddoldeb Gogledd Iwerddon](https://www.equalityni.org/Home), sy'n gyfrifol am orfodi'r rheoliadau hygyrchedd yng Ngogledd Iwerddon.

## Gwybodaeth dechnegol am hygyrchedd y wefan hon

Mae'r cyngor wedi ymrwymo i wneud ei wefan yn hygyrch, yn unol â Rheoliadau Hygyrchedd Cyrff Sector Cyhoeddus (Gwefannau a Rhaglenni Symudol) (Rhif 2) 2018.

### Statws cydymffurfio

Mae'r wefan hon yn cydymffurfio'n rhannol â safon AA [Canllawiau Hygyrchedd Cynnwys y We fersiwn 2.2](https://www.w3.org/TR/WCAG22/), oherwydd yr achosion o ddiffyg cydymffurfio a restrir isod.

## Cynnwys nad yw'n hygyrch

Nid yw'r cynnwys a restrir isod yn hygyrch am y rhesymau canlynol.

### Diffyg cydymffurfio â'r rheoliadau hygyrchedd

Delweddau heb destun amgen yw teils y map (maen prawf llwyddiant 1.1.1 WCAG 2.2, cynnwys nad yw'n destun). Rydym yn rhoi'r lleoedd a ddangosir ar bob map fel rhestr neu dabl, felly nid oes unrhyw wybodaeth ar y map yn unig.

### Baich anghymesur

Nid ydym ar hyn o bryd yn honni y byddai datrys unrhyw broblemau hygyrchedd yn faich anghymesur.

### Cynnwys nad yw o fewn cwmpas y rheoliadau hygyrchedd

Nid yw llawer o'n hen ddogfennau PDF a Word yn bodloni safonau hygyrchedd. Nid yw'r rheoliadau hygyrchedd yn ei gwneud yn ofynnol i ni drwsio dogfennau PDF neu ddogfennau eraill a gyhoeddwyd cyn 23 Medi 2018 os nad ydynt yn hanfodol i ddarparu ein gwasanaethau. Bydd unrhyw ddogfennau newydd a gyhoeddwn yn bodloni safonau hygyrchedd.

## Yr hyn rydym yn ei wneud i wella hygyrchedd

Caiff pob tudalen gyhoeddus ar y wefan hon, yn Gymraeg ac yn Saesneg, wedi mewngofnodi a heb fewngofnodi, ei gwirio'n awtomatig yn erbyn WCAG 2.2 A ac AA gydag axe-core bob tro y bydd y feddalwedd yn newid. Rydym yn trwsio unrhyw broblem a ganfyddwn cyn rhyddhau'r newid, ac rydym yn adolygu'r dogfennau a gyhoeddwn.

## Paratoi'r datganiad hygyrchedd hwn

Paratowyd y datganiad hwn ar 25 Tachwedd 2026. Cafodd ei adolygu ddiwethaf ar 25 Tachwedd 2026.

Profwyd y wefan hon ddiwethaf ar 25 Tachwedd 2026 yn erbyn safon AA WCAG 2.2. Cynhaliwyd y prawf gan brosiect Townhall, gan ddefnyddio profion awtomatig ar bob tudalen a phrofion â llaw gyda bysellfwrdd a darllenydd sgrin.
"""

PRIVACY_EN = """
This notice explains what personal data the council collects when you use this website, why, how long we keep it and what your rights are. The council is the data controller for this personal data.

## What we collect

We collect the least we need:

- your **email address**, so you can sign in and so we can tell you about things you asked to hear about
- a **display name**, if you choose to give one, shown with anything you publish (such as a comment)
- your **preferred language** (English or Welsh), so we write to you in it
- your **responses**: what you write or choose when you answer a consultation or survey, comment, propose an idea or vote
- technical information that every website receives, such as your IP address, kept in our server logs to protect the website from misuse

We do not use analytics or advertising cookies, and we do not track you across other websites. The [cookies page](/cookies/) lists the few cookies we use.

## Why we use it and our lawful basis

Under the UK General Data Protection Regulation (UK GDPR), we use your data:

- to run your account and the council's services and consultations: our lawful basis is that it is necessary to perform a task in the public interest or in the exercise of official authority (public task, Article 6(1)(e))
- to send you updates or reminders you signed up for: our lawful basis is your consent (Article 6(1)(a)), which you can withdraw at any time from "Your account" or the link in every message
- to keep the website secure and investigate misuse: public task, and where needed our legal obligations (Article 6(1)(c))

If you tell us something sensitive in a response (for example about your health), we use it only for the purpose of that consultation, under Article 9(2)(g) (substantial public interest) and the Data Protection Act 2018.

## Who we share it with

We do not sell your data. Companies that host and run this website for the council act only on our instructions, under contract. When we publish the results of a consultation we publish summaries or responses without your name, unless you chose to publish under your display name. We share data with others only where the law requires it.

## How long we keep it

- an account whose email address is never confirmed: deleted after 30 days
- your account, display name and preferred language: until you delete your account
- your responses: for as long as each consultation or survey says, and then deleted or made anonymous
- server logs: no longer than 90 days

## Your rights

You have the right to:

- see the personal data we hold about you: "Your account" lets you see it and download it as a file
- have inaccurate data corrected
- have your data deleted: "Your account" lets you delete your account and your data
- ask us to restrict or stop using your data, or object to how we use it
- withdraw your consent at any time, where we rely on consent

To use any of these rights, or to contact the council's data protection officer, [contact the council](/contact/).

## Complaints

If you are unhappy with how we have used your data, please [contact the council](/contact/) first. You can also complain to the Information Commissioner's Office (ICO):

- post: Information Commissioner's Office, Wycliffe House, Water Lane, Wilmslow, Cheshire, SK9 5AF
- telephone: 0303 123 1113
- website: [ico.org.uk/make-a-complaint](https://ico.org.uk/make-a-complaint/)
"""

PRIVACY_CY = """
Mae'r hysbysiad hwn yn esbonio pa ddata personol y mae'r cyngor yn ei gasglu pan fyddwch yn defnyddio'r wefan hon, pam, am ba hyd rydym yn ei gadw a beth yw eich hawliau. Y cyngor yw'r rheolydd data ar gyfer y data personol hwn.

## Beth rydym yn ei gasglu

Rydym yn casglu cyn lleied ag sydd ei angen arnom:

- eich **cyfeiriad e-bost**, er mwyn i chi allu mewngofnodi ac er mwyn i ni allu rhoi gwybod i chi am bethau y gofynnoch amdanynt
- **enw arddangos**, os byddwch yn dewis rhoi un, a ddangosir gydag unrhyw beth a gyhoeddwch (fel sylw)
- eich **dewis iaith** (Cymraeg neu Saesneg), er mwyn i ni ysgrifennu atoch yn yr iaith honno
- eich **ymatebion**: yr hyn rydych yn ei ysgrifennu neu'n ei ddewis pan fyddwch yn ymateb i ymgynghoriad neu arolwg, yn rhoi sylw, yn cynnig syniad neu'n pleidleisio
- gwybodaeth dechnegol y mae pob gwefan yn ei chael, fel eich cyfeiriad IP, a gedwir yng nghofnodion ein gweinydd i ddiogelu'r wefan rhag camddefnydd

Nid ydym yn defnyddio cwcis dadansoddi na hysbysebu, ac nid ydym yn eich tracio ar draws gwefannau eraill. Mae'r [dudalen cwcis](/cy/cookies/) yn rhestru'r ychydig gwcis rydym yn eu defnyddio.

## Pam rydym yn ei ddefnyddio a'n sail gyfreithlon

O dan Reoliad Cyffredinol y DU ar Ddiogelu Data (GDPR y DU), rydym yn defnyddio eich data:

- i redeg eich cyfrif a gwasanaethau ac ymgyngoriadau'r cyngor: ein sail gyfreithlon yw ei fod yn angenrheidiol i gyflawni tasg er budd y cyhoedd neu wrth arfer awdurdod swyddogol (tasg gyhoeddus, Erthygl 6(1)(e))
- i anfon diweddariadau neu nodiadau atgoffa y gwnaethoch gofrestru ar eu cyfer: ein sail gyfreithlon yw eich caniatâd (Erthygl 6(1)(a)), y gallwch ei dynnu'n ôl unrhyw bryd o "Eich cyfrif" neu drwy'r ddolen ym mhob neges
- i gadw'r wefan yn ddiogel ac ymchwilio i gamddefnydd: tasg gyhoeddus, a lle bo angen ein rhwymedigaethau cyfreithiol (Erthygl 6(1)(c))

Os byddwch yn dweud rhywbeth sensitif wrthym mewn ymateb (er enghraifft am eich iechyd), rydym yn ei ddefnyddio at ddiben yr ymgynghoriad hwnnw yn unig, o dan Erthygl 9(2)(g) (budd sylweddol i'r cyhoedd) a Deddf Diogelu Data 2018.

## Gyda phwy rydym yn ei rannu

Nid ydym yn gwerthu eich data. Mae'r cwmnïau sy'n cynnal ac yn rhedeg y wefan hon ar ran y cyngor yn gweithredu ar ein cyfarwyddiadau ni yn unig, o dan gontract. Pan fyddwn yn cyhoeddi canlyniadau ymgynghoriad, rydym yn cyhoeddi crynodebau neu ymatebion heb eich enw, oni bai eich bod wedi dewis cyhoeddi o dan eich enw arddangos. Rydym yn rhannu data ag eraill dim ond pan fo'r gyfraith yn ei gwneud yn ofynnol.

## Am ba hyd rydym yn ei gadw

- cyfrif na chadarnhawyd ei gyfeiriad e-bost erioed: caiff ei ddileu ar ôl 30 diwrnod
- eich cyfrif, eich enw arddangos a'ch dewis iaith: hyd nes y byddwch yn dileu eich cyfrif
- eich ymatebion: cyhyd ag y mae pob ymgynghoriad neu arolwg yn ei ddweud, ac yna cânt eu dileu neu eu gwneud yn ddienw
- cofnodion y gweinydd: dim mwy na 90 diwrnod

## Eich hawliau

Mae gennych hawl i:

- weld y data personol sydd gennym amdanoch: mae "Eich cyfrif" yn gadael i chi ei weld a'i lwytho i lawr fel ffeil
- cael cywiro data anghywir
- cael dileu eich data: mae "Eich cyfrif" yn gadael i chi ddileu eich cyfrif a'ch data
- gofyn i ni gyfyngu ar ddefnyddio eich data neu roi'r gorau i'w ddefnyddio, neu wrthwynebu'r ffordd rydym yn ei ddefnyddio
- tynnu eich caniatâd yn ôl unrhyw bryd, lle rydym yn dibynnu ar ganiatâd

I arfer unrhyw un o'r hawliau hyn, neu i gysylltu â swyddog diogelu data'r cyngor, [cysylltwch â'r cyngor](/cy/contact/).

## Cwynion

Os nad ydych yn fodlon ar y ffordd rydym wedi defnyddio eich data, [cysylltwch â'r cyngor](/cy/contact/) yn gyntaf. Gallwch hefyd gwyno i Swyddfa'r Comisiynydd Gwybodaeth (ICO):

- post: Swyddfa'r Comisiynydd Gwybodaeth, Wycliffe House, Water Lane, Wilmslow, Cheshire, SK9 5AF
- ffôn: 0303 123 1113
- gwefan: [ico.org.uk/make-a-complaint](https://ico.org.uk/make-a-complaint/)
"""

COOKIES_EN = """
Cookies are small files saved on your phone, tablet or computer when you visit a website.

This website uses only the cookies it needs to work. They are called essential cookies, and they do not need your consent. We do not use analytics cookies, advertising cookies or any cookies from other companies, and we do not track you across other websites.

## Essential cookies we use

| Name | Purpose | Expires |
|---|---|---|
| sessionid | Keeps you signed in as you move from page to page | When you sign out, or after 2 weeks |
| csrftoken | Protects the forms on this website from being sent by another website pretending to be you | 1 year |
| django_language | Remembers whether you chose English or Welsh, only if you use the language switcher | When you close your browser |
| messages | Shows you a message once, such as "Your changes have been saved" | As soon as the message is shown |

You can set your browser to block these cookies, but then you will not be able to sign in or send forms on this website.

If you have a question about cookies, [contact the council](/contact/).
"""

COOKIES_CY = """
Ffeiliau bach yw cwcis sy'n cael eu cadw ar eich ffôn, eich llechen neu'ch cyfrifiadur pan fyddwch yn ymweld â gwefan.

Mae'r wefan hon yn defnyddio'r cwcis sydd eu hangen arni i weithio yn unig. Cwcis hanfodol yw'r enw arnynt, ac nid oes angen eich caniatâd ar eu cyfer. Nid ydym yn defnyddio cwcis dadansoddi, cwcis hysbysebu nac unrhyw gwcis gan gwmnïau eraill, ac nid ydym yn eich tracio ar draws gwefannau eraill.

## Y cwcis hanfodol rydym yn eu defnyddio

| Enw | Pwrpas | Yn dod i ben |
|---|---|---|
| sessionid | Yn eich cadw wedi mewngofnodi wrth i chi symud o dudalen i dudalen | Pan fyddwch yn allgofnodi, neu ar ôl 2 wythnos |
| csrftoken | Yn diogelu'r ffurflenni ar y wefan hon rhag cael eu hanfon gan wefan arall sy'n esgus bod yn chi | 1 flwyddyn |
| django_language | Yn cofio a wnaethoch ddewis Cymraeg neu Saesneg, dim ond os byddwch yn defnyddio'r botwm newid iaith | Pan fyddwch yn cau eich porwr |
| messages | Yn dangos neges i chi unwaith, fel "Mae eich newidiadau wedi'u cadw" | Cyn gynted ag y dangosir y neges |

Gallwch osod eich porwr i rwystro'r cwcis hyn, ond wedyn ni fyddwch yn gallu mewngofnodi nac anfon ffurflenni ar y wefan hon.

Os oes gennych gwestiwn am gwcis, [cysylltwch â'r cyngor](/cy/contact/).
"""

CONTACT_EN = """
Use the details on this page to contact the council about this website and the services on it.

We aim to reply within 10 working days. You can write to us in English or Welsh, and we will reply in the language you use.

## What to contact us about

- if you need information from this website in a different format, such as large print, easy read, audio or braille
- to report a problem with the website, including an accessibility problem (see our [accessibility statement](/accessibility/))
- to see, correct or delete the personal data we hold about you, or to contact our data protection officer (see our [privacy notice](/privacy/))
- with a question about a consultation, a dataset or any other service on this website

When you write about a page, please tell us its web address. Never send us your password.
"""

CONTACT_CY = """
Defnyddiwch y manylion ar y dudalen hon i gysylltu â'r cyngor am y wefan hon a'r gwasanaethau arni.

Ein nod yw ateb cyn pen 10 diwrnod gwaith. Gallwch ysgrifennu atom yn Gymraeg neu yn Saesneg, a byddwn yn ateb yn yr iaith a ddefnyddiwch.

## Pryd i gysylltu â ni

- os oes arnoch angen gwybodaeth o'r wefan hon mewn fformat gwahanol, fel print bras, fformat hawdd ei ddeall, sain neu braille
- i roi gwybod am broblem gyda'r wefan, gan gynnwys problem hygyrchedd (gweler ein [datganiad hygyrchedd](/cy/accessibility/))
- i weld, cywiro neu ddileu'r data personol sydd gennym amdanoch, neu i gysylltu â'n swyddog diogelu data (gweler ein [hysbysiad preifatrwydd](/cy/privacy/))
- gyda chwestiwn am ymgynghoriad, set ddata neu unrhyw wasanaeth arall ar y wefan hon

Pan fyddwch yn ysgrifennu am dudalen, dywedwch wrthym beth yw ei chyfeiriad gwe. Peidiwch byth ag anfon eich cyfrinair atom.
"""

PAGES = [
    (
        "accessibility",
        "Accessibility statement",
        "Datganiad hygyrchedd",
        ACCESSIBILITY_EN,
        ACCESSIBILITY_CY,
    ),
    ("privacy", "Privacy notice", "Hysbysiad preifatrwydd", PRIVACY_EN, PRIVACY_CY),
    ("cookies", "Cookies", "Cwcis", COOKIES_EN, COOKIES_CY),
    ("contact", "Contact the council", "Cysylltu â'r cyngor", CONTACT_EN, CONTACT_CY),
]


def create_pages(apps, schema_editor):
    Page = apps.get_model("core", "Page")
    for order, (slug, title, title_cy, body, body_cy) in enumerate(PAGES, start=1):
        Page.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "title_cy": title_cy,
                "body": body.strip(),
                "body_cy": body_cy.strip(),
                "show_in_footer": True,
                "footer_order": order * 10,
            },
        )


def remove_pages(apps, schema_editor):
    apps.get_model("core", "Page").objects.filter(slug__in=[page[0] for page in PAGES]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_roles_and_append_only_audit")]

    operations = [migrations.RunPython(create_pages, remove_pages)]
