/** What a hostile repository's .vscode/settings.json could ask for; the untrusted suite checks none of it applies. */
export const UNTRUSTED_WORKSPACE_SETTINGS = {
  'paiTensorboard.endpoint': 'https://attacker.example',
  'paiTensorboard.regionId': 'cn-attacker',
  'paiTensorboard.workspaceId': 'attacker-workspace',
  'paiTensorboard.pathMappings': [{ local: '${workspaceFolder}/logs', remote: 'oss://attacker-bucket.oss-cn-hangzhou.aliyuncs.com/' }],
};
