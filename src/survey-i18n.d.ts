declare module 'survey-core/i18n/*';
