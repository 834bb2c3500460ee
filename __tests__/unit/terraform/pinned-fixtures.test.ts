import { describe, expect, test } from '@jest/globals'
import { createHash } from 'node:crypto'
import { buildPlanModel } from '../../../packages/terraform/src/build-model.js'
import { planFingerprint } from '../../../packages/terraform/src/fingerprint.js'
import { collectPlanSecrets, redactPlan } from '../../../packages/terraform/src/sensitive-places.js'
import { scrubText } from '../../../packages/terraform/src/scrub.js'
import { preparePlan } from '../../../packages/plan-report/src/prepared.js'
import { renderComment, renderSummary } from '../../../packages/plan-report/src/render.js'
import { fixtureNames, loadPlanFixture, planFixtureHumanText } from '../../support/terraform.js'

/**
 * Pins, for every plan fixture, the fingerprint and a sha256 of everything derived from the plan (the
 * whole PlanModel, the redacted plan artifact, the secret list, the rendered comment and summary), as the
 * code computed them before the performance work (comment and summary re-pinned when issue 13 changed the
 * layout on purpose: each resource once, lists cut by risk). Any change of value, or of redaction, fails here.
 */
const PINS: Record<string, { fingerprint: string; model: string; redactedPlan: string; secrets: string; comment: string; summary: string }> = {
  "adversarial": { fingerprint: 'cfd08fff07e306a0d88812cb24d43def238dd0261537ff5c4851e645b84e8988', model: '38deb1be3f720fe83b76eacb40bb1fa77c7c5db68b66f97eb7b1ae0e507e27c6', redactedPlan: '941b35bda0a9741e58cccdd22c83d9bc4c20e75c4e19a68c677f19f067d465f0', secrets: '4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945', comment: 'b6b3cc7752344c0c265c49c8d5bb6a199e805022871ba4c926e9c7a3b7e42129', summary: '6af3e85abd78e6acdb8415dcbf95768fdc9fa68bc1983298743f253042eb288a' },
  "create": { fingerprint: '395953ca246950d16a3dbe07b42497c3721a2cf3f43035c30fb3413f089c2f87', model: 'e5eecc370501d52f1ce619ea230f640584bccfe260384a68b3428419655e55ca', redactedPlan: '4bdc2b3b51bd0ba3f2b99e825a75b6d56dd62b523ee950aeeb803e81b16bf70a', secrets: '4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945', comment: 'a272100eed62c62344f49b5d6b67449f6d32226c985313f4809271e2915e0d28', summary: '45015acbc3180d78b1b8e7dc456e990aa431017de00665f6a3ae53922eb8c82d' },
  "delete": { fingerprint: 'd21be1adef221515ab89d9b24fb590ac08bbd154305273c70c0b3ea4e77e273b', model: 'd87ef43399b93b29a8fa8786feba3b9229960cbeb7063400c383b4342ea5acae', redactedPlan: '410b5c0329d24f1f674d538f4519c9f444405170bc49cd41bc3676d2195fefe1', secrets: '4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945', comment: 'f088c88c88746a6995b7f14c2b930b0ddc7d826930493ababed6b671d366f3c9', summary: '30d1c51b395912e62c581e61c0d8f1d3b7891a7483ba35f4babe0e1ba8156ad3' },
  "demo": { fingerprint: '7d74a90a0bfc7b7a04adb9d1abd2f960673708acc98a09a4955655d24d3aff5a', model: 'dec7b9101853071453aa4990c36a1c870bbcf2b02d7b50951ef31d4b2bcf3a86', redactedPlan: '4c9512be577b4657297479838f0cf4ccfcd0ce997366fb208f165d0b60079b83', secrets: 'cf036151e25a7eef72a622e7daff2f0cf7a5e6934bcfd427a9475cfc68d5614c', comment: '768db3f3553b9f73c3ea31646adc1007546f96d3d64b651dfd95fb278717090f', summary: '11cc8e0ca7754f53570dcae5c159fe3fe810e01b5ee77a67cac88b072c8d1998' },
  "drift": { fingerprint: 'c73b630ec984842480d9a971011e11ec77076d9b3802726198773172f6f85684', model: 'e7c67ad286c3d806ff0ba80969cfcb227491761033870dbfee57924adb95c810', redactedPlan: '51de3ee719e0e09da295d0734bd7ac9dd1fde1d7e9e4028359a9a7c319f5c179', secrets: 'b184af1cac5508a9753cb9a84d226762eb87f8c56dae4beb271d05d3a405b63a', comment: '70f2e621069053da25d2f1645a764262ec24742563ce639ca6ed775011f3d5ba', summary: 'b70f0aeb479c91d1d0dbf6a7971b695d110de113bbe4b6fe14720d6a5ca39233' },
  "drift-refresh-only": { fingerprint: 'b2a84a7d6a2dfb8822367ba7a10ef455cae7bc73fcfd9ad11f31a8cc144d6bb1', model: '5ba1e4f4e7314bd98d1aeade185e142538565e15a44527d290a2f1586cd43a4e', redactedPlan: 'f36795b9d9c9a0a6114504918af5ee6f566796b24f258bd3dae55680d3f301d8', secrets: 'b184af1cac5508a9753cb9a84d226762eb87f8c56dae4beb271d05d3a405b63a', comment: '80701731c762f75f3a0d26dd27e1b861ce6583da149aa73fe39afda497e2d276', summary: 'd64c1cc30b166bc68e596b9c63fe3417271cbce19836d93a2322482e4c18c405' },
  "errored": { fingerprint: 'c0c19276c553a17a962dcca4df249a830d5962ca3710afd9700d72021fe9df9b', model: '4aa16f025821c22e4fb126b0ea23d98e657f8da3f1b20452e8896a7f80060217', redactedPlan: 'e50d789c37df47ac3a62b1041531b1c7f2486cd998bcda860aef70e2f822a5bc', secrets: '4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945', comment: '630e4be83f25b05a527e487f0236f6ed07887b757b4fee232ad55ccc22238fac', summary: '2cba185aca18004e23114934dace78bd4eaed8fadbe9a9c02fafdafaf3120204' },
  "forget": { fingerprint: '8bdb9697b991a7e5a5b5dab1d4f98cb6ae293002b592a0ecfb0f2ad278705ea9', model: 'f6b6fb5caffe1c75704b07f1b385cfe627ea3691090f8a5e9c21f84ec3da9d8a', redactedPlan: '6e0670c5bcf6e49e6c1c7cfbc6e668855c26793dd03400825e6ba5066abaf72f', secrets: '4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945', comment: '6cb563b981dbff4863df0583b8fa9ab3675cf981d5b3433d4208faeac9d5b35b', summary: '8f1f71c1d3c6b1d20c3d0cf1f051bdc712257f7885fe847e5c36c353f13bce91' },
  "import": { fingerprint: '1788c74735f9a4bd2d7c031659f11f2af102135fd1b954cb60bfa67b9207e55a', model: '103288f331c55bca10b4e8a779414c588d3b5c8fe2d103868e089fc4b1d0f839', redactedPlan: 'b6400a4fb64005f5ad81bca99dcadf88987f77b510d6d837ab3c370498981009', secrets: '4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945', comment: '48bc9eb0b91f5a8f81bc17a70e6a2b26a8247b92026dca5cedcbeff1d3b224e1', summary: 'd9fb849c50bb4be6d8fffcbe71e73d1c69ee536c55c65c8c1e27ed28334dbe29' },
  "large": { fingerprint: 'f79885129cb470284f4e75fc977f632de248655302f684c101942f06dc7934da', model: '12f45251bb6c1944ba745d0ac64ac5ce620300eab9d332405d70058b33ac1f9b', redactedPlan: '3687bf0359ebff62637759f77dbd5b8b932d021bc5e679bd90ce877979ca76fd', secrets: '4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945', comment: '4a2e31114dd1186b3acb257662ccb2615f208fbf0d2b6b63caa5f207a9a2a2d6', summary: '88b8334daac44f4fef728103f0a4b915b908438c5c5b65e43da424d2ce1ca9ca' },
  "moved": { fingerprint: '558159490b89d554ff2826b82ce8ea30edd56c1b7a6bc377d654af4e04f08023', model: '5a4b611a2e24fa845b2ed17b6348d1556ecff351803e6cc66cda67ec5ab7d06f', redactedPlan: '5ab7c0e05a1593e71e27bd119d2bb8c9e4270d09982a3aa391e0ae6e160eb123', secrets: '4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945', comment: '56c78e28297b9e90086a9d156bdea1b8cd7f86123111f51fb576d4a4cc488baa', summary: '2bda2ace7193a4511182a8a13671e9e9ea3fde116c009b20200f8edd459c43f5' },
  "noop": { fingerprint: 'b2a84a7d6a2dfb8822367ba7a10ef455cae7bc73fcfd9ad11f31a8cc144d6bb1', model: '25bc87ed263e6a3834ee0707b4e7299808e74f961049fe553e6893c9739ec8e3', redactedPlan: '12bc5461415ea2bd88e7c722825a0b692bef7a20a3f97f5bafaed1a403607ff4', secrets: '4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945', comment: '4664af20ad726bc21a54f8d5b8f373d0c610436f31aeb049b2b24e200bf27b12', summary: '9dc45fad8e2adfc82dcd5dc19f6cee53f6c15e7aa31f105a7d5faffe2479b8ec' },
  "outputs": { fingerprint: '307f7ebb6e78b44f8b9ed2f17fa8b938ed3780add7cf6f4ead6a138d5c724626', model: '25e60362b2dbdba638cdfcfaa4ba3d872ef059fc7cacf97214cbaefae085b33a', redactedPlan: '149df845e01f51626004b3f0ada59f978ee0fb2d35e22bb652bc49d9ca3d1179', secrets: '644aec4dcf374a6222869dfb19952a5f3f6dcd43728ff1519df13686d3a125e4', comment: '1b0e5de164eb14a8ed0816d816da729bbf8006fc6a77e5d26901973402c5c562', summary: 'c33172d706fd1e9b7f5286a26a25e46f89056f97cc55ed5b38ede1f0ec40d05b' },
  "read": { fingerprint: 'd12d81ac3aa29a04ed8f6b86dac0c5d410e2e1c696de65fe416ece3ef4647b2a', model: 'b493679d5f4f51daa8ae6a49ac2d35cddef0749e752e90e381ec10f8d2fa0479', redactedPlan: 'e3d3776b0e167880055b9a50351abcc349383c2ed2b468f290eddb61c6306b2d', secrets: '4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945', comment: '026453b0a26743b1ba43451e7bcac8571ae63b3836acdf9865e8891c5c282c42', summary: 'e9bbd8bd6ce7f341b5a36110e95137e6a8bc7edb1e47ee99aa7eedbe6a691845' },
  "replace": { fingerprint: 'd4958ff0dc09ee63887e96d061fef4cc06d648c4e61b819267aac7a2f248fbc0', model: '45310503decedc655e29dc12e90ae2dfb3a080313b6e90027f32a85528bef069', redactedPlan: 'fbf9c8f8fb2970b48b143447b632740b9acbda52ca012fbd3767047b3f9254f9', secrets: '4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945', comment: 'edac3b8e617ac680b5b4eb0958e289cb4e16ed6c2c911cb088f72cc50d3966ca', summary: '31453c2bdbff339f6a7f5f0f19c20127b169d422484ce6c17643f01739563c44' },
  "sensitive": { fingerprint: '2fbf6a558ec7502d959ebca1ed21e46cea75ba49a5d346daac49c85571a5240c', model: '0c77bc79950609e56dce2e027d669c29b254b9571888cc47a74fde2dbb439623', redactedPlan: '9aff85e72401c461631bba7f80357419720f8db023cd59e553571c163b24e98e', secrets: 'f433b89337eef0069bb1d9f42b749974e95ca616e25b9486b724ac68aa30d89a', comment: '220adcf838037e83394d14a20909b661d544fcedfebf829a862d31677050d869', summary: '7a84069c676bd7566828638977a575865999545af30b8a947203c90adef592dc' },
  "update": { fingerprint: '371c6446cb1ae476e16d44015d8743fa0dc1328412d30d80d3f12804ac2f8dac', model: '9415fa23fe124d3d18a81b9d58344375cd2bac7d104cda41181cfeeaf85a3a75', redactedPlan: 'c89add2246c4b0e55ed55a93c61499cf2cea6ea710f349be1dfa7144cba2a29a', secrets: '4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945', comment: '5dc486f3709b0b66a19fb8db5ce7a87d9763b479b95eb8e6d4cbe8206bf6703d', summary: '5060c96543dc152404e28f087c1a67ab96bbd9f1b6881180ccba3ef110319e40' },
}

const sha = (s: string): string => createHash('sha256').update(s).digest('hex')
const view = { environment: 'prod', directory: 'infra', links: { runUrl: 'https://github.com/o/r/actions/runs/1' } }

describe('pinned outputs of every fixture', () => {
  test('every fixture is pinned', () => {
    expect(fixtureNames()).toEqual(Object.keys(PINS).sort())
  })
  for (const name of Object.keys(PINS)) {
    test(name, () => {
      const pin = PINS[name]!
      expect(planFingerprint(loadPlanFixture(name))).toBe(pin.fingerprint)
      const plan = loadPlanFixture(name)
      const model = buildPlanModel(plan)
      expect(model.fingerprint).toBe(pin.fingerprint)
      expect(sha(JSON.stringify(model))).toBe(pin.model)
      expect(sha(JSON.stringify(redactPlan(loadPlanFixture(name))))).toBe(pin.redactedPlan)
      const secrets = collectPlanSecrets(loadPlanFixture(name))
      expect(sha(JSON.stringify(secrets))).toBe(pin.secrets)
      const prepared = preparePlan(model, scrubText(planFixtureHumanText(name), secrets))
      expect(sha(renderComment(prepared, view))).toBe(pin.comment)
      expect(sha(renderSummary(prepared, view, 1024 * 1024))).toBe(pin.summary)
      // the raw plan is never modified by building the model
      expect(JSON.stringify(plan)).toBe(JSON.stringify(loadPlanFixture(name)))
    }, 120_000)
  }
})
